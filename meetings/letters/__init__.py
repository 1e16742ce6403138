"""Official invitation letters: a Word document for each invited organisation, made from
the secretariat's template for the letter's language or from the built-in one
(`documents`); the checks an uploaded template passes before it is stored (`checks`);
and the writes (`services`).
"""
