"""Tests of aipgen.build: the build as a library, its record, workers, writes, projects."""
