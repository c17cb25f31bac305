"""The command line: arguments, German help and messages, exit codes; it presents what
the build and the editor's verbs report.

Imports every other room; none imports it.
"""
