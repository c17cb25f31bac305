"""Tests of aipgen.content: loading, Markdown, directives, checks and their messages."""
