"""Tests of aipgen.editor: the preview, next year's programme, the BA exports imported."""
