"""Tests of aipgen as a whole or across rooms: reference programmes, website, docs, wheel."""
