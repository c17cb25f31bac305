"""Tests of aipgen.media: the HTML, the website, the screen and print PDFs and their pages."""
