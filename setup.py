"""The package's layout for setuptools: the code in ``src/``, and the repository's ``data/``
installed with it as ``platformgov/data`` (read by :mod:`platformgov.paths` outside the
repository). Everything else is in ``pyproject.toml``."""

from setuptools import find_packages, setup

DATA = ["platformgov.data", "platformgov.data.registry", "platformgov.data.synthetic"]

setup(
    packages=[*find_packages("src"), *DATA],
    package_dir={"": "src", "platformgov.data": "data"},
    package_data={
        "platformgov": ["site/*.cjs", "site/*.css", "site/locale/*/LC_MESSAGES/*.po"],
        "platformgov.data": ["*.csv", "*.toml", "*.md"],
        "platformgov.data.registry": ["*.csv", "*.geojson", "*.md"],
        "platformgov.data.synthetic": ["*.csv", "*.md"],
    },
)
