"""Tests of aipgen.design: German typography, hyphenation patterns and ladders."""
