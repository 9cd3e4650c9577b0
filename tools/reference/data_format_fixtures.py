#!/usr/bin/env python3
"""Reference NPY and IDX files for @trientropy/data's format readers, written by NumPy itself.

NPY files come from numpy.save / numpy.lib.format.write_array (the reference writer of the format);
IDX files are written byte by byte from NumPy arrays with explicit big-endian dtypes, following the
format description on the MNIST page (magic 0x00 0x00 <type> <rank>, big-endian uint32 sizes, then
big-endian values). `expected.json` lists, for every file, either the shape and the values the reader
must return (as float64 numbers; the reader stores float32, tests compare with Math.fround), or the
fact that it must be rejected.

Run:  python3 tools/reference/data_format_fixtures.py
Writes packages/data/src/formats/fixtures/* (committed together with this script).
Needs Debian's python3-numpy.
"""
import gzip
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "data", "src", "formats", "fixtures")
RNG = np.random.default_rng(20201028)  # arXiv 2010.14860 was submitted in October 2020
expected = {"generatedBy": "tools/reference/data_format_fixtures.py", "numpy": np.__version__, "files": {}}


def accept(name, array, dtype):
    expected["files"][name] = {"accept": True, "dtype": dtype, "shape": list(array.shape), "values": [float(v) for v in np.asarray(array, dtype=np.float64).ravel(order="C")]}


def reject(name, reason):
    expected["files"][name] = {"accept": False, "reason": reason}


def save_npy(name, array, version=None, fortran=False):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        if fortran:
            array = np.asfortranarray(array)
        np.lib.format.write_array(f, array, version=version)
    return array


def write_idx(name, array, type_byte, big_endian_dtype, compress=False):
    header = bytes([0, 0, type_byte, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    payload = header + np.ascontiguousarray(array, dtype=big_endian_dtype).tobytes()
    path = os.path.join(OUT, name)
    if compress:
        payload = gzip.compress(payload, mtime=0)
    with open(path, "wb") as f:
        f.write(payload)


def main():
    os.makedirs(OUT, exist_ok=True)
    # --- NPY, accepted ---
    a = RNG.normal(size=(3, 4)).astype(np.float32)
    accept("float32-3x4.npy", save_npy("float32-3x4.npy", a), "float32")
    b = RNG.normal(size=(2, 3)) * np.array([1e-3, 1.0, 1e5])  # float64, rounded to float32 on load
    accept("float64-2x3.npy", save_npy("float64-2x3.npy", b), "float64")
    c = RNG.integers(0, 256, size=(2, 2, 3), dtype=np.uint8)
    accept("uint8-2x2x3.npy", save_npy("uint8-2x2x3.npy", c), "uint8")
    d = RNG.normal(size=(4,)).astype(">f8")
    accept("float64-big-endian-4.npy", save_npy("float64-big-endian-4.npy", d), "float64")
    e = RNG.normal(size=(2, 2)).astype(np.float32)
    accept("float32-version2-2x2.npy", save_npy("float32-version2-2x2.npy", e, version=(2, 0)), "float32")
    f = np.zeros((0, 3), dtype=np.float32)
    accept("float32-empty-0x3.npy", save_npy("float32-empty-0x3.npy", f), "float32")
    # A column vector has the same memory layout in Fortran and C order. numpy.save writes it as C
    # order, so the header is written with numpy's own header writer and fortran_order True: the
    # reader must accept it (the layouts agree) rather than reject every Fortran flag.
    g = RNG.normal(size=(3, 1)).astype(np.float32)
    with open(os.path.join(OUT, "float32-fortran-3x1.npy"), "wb") as out:
        np.lib.format.write_array_header_1_0(out, {"descr": "<f4", "fortran_order": True, "shape": (3, 1)})
        out.write(g.tobytes(order="F"))
    accept("float32-fortran-3x1.npy", g, "float32")
    # --- NPY, rejected ---
    save_npy("float32-fortran-2x3.npy", RNG.normal(size=(2, 3)).astype(np.float32), fortran=True)
    reject("float32-fortran-2x3.npy", "Fortran-order")
    save_npy("int64-2.npy", np.array([1, 2], dtype=np.int64))
    reject("int64-2.npy", "unsupported dtype")
    save_npy("bool-2.npy", np.array([True, False]))
    reject("bool-2.npy", "unsupported dtype")
    save_npy("float16-2.npy", np.array([1, 2], dtype=np.float16))
    reject("float16-2.npy", "unsupported dtype")
    save_npy("structured-2.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<f4")]))
    reject("structured-2.npy", "structured dtypes")
    save_npy("float64-nan-3.npy", np.array([1.0, np.nan, 3.0]))
    reject("float64-nan-3.npy", "expected finite numbers")
    save_npy("float64-overflow-2.npy", np.array([1.0, 1e300]))
    reject("float64-overflow-2.npy", "outside the float32 range")

    # --- IDX, accepted ---
    images = RNG.integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
    write_idx("images-uint8-3x4x5.idx", images, 0x08, ">u1")
    accept("images-uint8-3x4x5.idx", images, "uint8")
    write_idx("images-uint8-3x4x5.idx.gz", images, 0x08, ">u1", compress=True)
    accept("images-uint8-3x4x5.idx.gz", images, "uint8")
    labels = RNG.integers(0, 10, size=(7,), dtype=np.uint8)
    write_idx("labels-uint8-7.idx", labels, 0x08, ">u1")
    accept("labels-uint8-7.idx", labels, "uint8")
    i8 = RNG.integers(-128, 128, size=(2, 3), dtype=np.int8)
    write_idx("int8-2x3.idx", i8, 0x09, ">i1")
    accept("int8-2x3.idx", i8, "int8")
    i16 = RNG.integers(-30000, 30000, size=(3,), dtype=np.int16)
    write_idx("int16-3.idx", i16, 0x0B, ">i2")
    accept("int16-3.idx", i16, "int16")
    i32 = RNG.integers(-(2 ** 20), 2 ** 20, size=(2, 2), dtype=np.int32)
    write_idx("int32-2x2.idx", i32, 0x0C, ">i4")
    accept("int32-2x2.idx", i32, "int32")
    f32 = RNG.normal(size=(2, 3)).astype(np.float32)
    write_idx("float32-2x3.idx", f32, 0x0D, ">f4")
    accept("float32-2x3.idx", f32, "float32")
    f64 = RNG.normal(size=(4,))
    write_idx("float64-4.idx", f64, 0x0E, ">f8")
    accept("float64-4.idx", f64, "float64")

    with open(os.path.join(OUT, "expected.json"), "w") as out:
        json.dump(expected, out, indent=1)
        out.write("\n")
    print(f"wrote {len(expected['files'])} files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
