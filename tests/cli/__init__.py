"""Tests of aipgen.cli: the command line's messages, exit codes and progress display."""
