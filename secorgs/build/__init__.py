"""The steps that build and check the book; chapters never import from here.

* :mod:`~secorgs.build.check` validates every CSV file (``python -m secorgs.build.check``);
* :mod:`~secorgs.build.vendor` gathers the JavaScript and map data the book serves itself;
* :mod:`~secorgs.build.execute` re-executes the chapters whose inputs changed;
* :mod:`~secorgs.build.figures` writes every exported chart to ``figures/``;
* :mod:`~secorgs.build.sphinx_assets` is the Sphinx extension that serves the vendored assets;
* :mod:`~secorgs.build.pdf` and :mod:`~secorgs.build.screenshots` print and photograph the built book.
"""
