"""The public HTML pages, apart from their routes: the words (:mod:`.text`), what a result shows (:mod:`.view`,
pure) and the rendering with strict headers (:mod:`.render`). French first (``?lang=en`` for English), no
JavaScript; everything shown comes from the verification report and is escaped by Jinja2.
"""
