"""This package contains the pipeline's pure classifiers, phrase books kept as data.

`keywords` (carrier STOP/START/HELP), `safeguarding` (risk) and `pace` (not today, pause, less
often) are tried in that order by the pipeline's stages; `phrases` holds the phrase matching,
folding and the speller they share. Safeguarding's phrases and replies are YAML files reviewed
by staff (`risk_phrases/<language>.yaml`, `risk_replies.yaml`), read and checked by
`risk_files`, with their vocabulary in `risk_kinds`; `language` tells which configured language
a message is in, to pick a reply's language.
"""
