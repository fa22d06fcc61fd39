"""This package contains the pipeline's pure classifiers, phrase books kept as data.

`keywords` (carrier STOP/START/HELP), `safeguarding` (risk) and `pace` (not today, pause, less
often) are tried in that order by the pipeline's stages; `phrases` holds the phrase matching and
the speller two of them share.
"""
