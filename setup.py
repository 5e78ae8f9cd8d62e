"""Build of the optional compiled kernel; everything else is declared in pyproject.toml.

The extension is optional: where it cannot be translated or compiled the install still succeeds
and `stce.parties` falls back to its pure-Python implementation of the same functions
(`stce.parties.kernel.compiled()` tells which one runs).
"""

import sys

from setuptools import Extension, setup

kernel = Extension(
    "stce.parties._kernel",
    ["src/stce/parties/_kernel.pyx"],
    # The kernel must add floating-point numbers exactly as the Python reference does.
    extra_compile_args=["-O2", "-ffp-contract=off"],
    optional=True,
)

try:
    from Cython.Build import cythonize

    ext_modules = cythonize([kernel], language_level=3, quiet=True)
except Exception as exc:  # no Cython, or the translation failed: install the pure-Python path
    print(f"stce: compiled kernel not built ({exc}); using pure Python", file=sys.stderr)
    ext_modules = []

setup(ext_modules=ext_modules)
