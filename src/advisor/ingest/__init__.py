"""Reading role documents (Markdown, text, HTML, PDF; O*NET tables) and cutting them into chunks."""

# What reading and chunking produce, as a version: an incremental build re-reads every file when it differs from
# the one a generation was built with. Bump it in the same commit as any change to documents.py, chunking.py,
# units.py, facts.py or text/units.py that changes what they make from the same file, or to what a unit is embedded as.
READER_VERSION = 5
