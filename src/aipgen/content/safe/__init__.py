"""Reading the untrusted files of a programme folder: text inside the folder and within the
size limit (files), YAML without tags or aliases (yamlsafe), SVG without active content
(svgsafe), images fit to publish (images), table rows from CSV with their lines (csvdata).

Imports aipgen.base and the modules of this package only.
"""
