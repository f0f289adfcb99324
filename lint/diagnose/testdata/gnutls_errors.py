#!/usr/bin/env python3
"""Prints GnuTLS's error table as the installed library has it: one line
per error code, "NAME<TAB>DESCRIPTION", from gnutls_strerror_name and
gnutls_strerror (libgnutls.so.30). TestGnuTLSErrorNames compares it with
gnutlsErrors (lint/diagnose/gnutls_errors.go); -gen writes that file."""
import ctypes
import sys

lib = ctypes.CDLL("libgnutls.so.30")
lib.gnutls_strerror.restype = ctypes.c_char_p
lib.gnutls_strerror_name.restype = ctypes.c_char_p
lib.gnutls_check_version.restype = ctypes.c_char_p
lib.gnutls_check_version.argtypes = [ctypes.c_char_p]
if len(sys.argv) > 1 and sys.argv[1] == "-version":
    print(lib.gnutls_check_version(None).decode())
    sys.exit(0)
for code in range(-1, -1000, -1):
    name = lib.gnutls_strerror_name(code)
    if name:
        print("%s\t%s" % (name.decode(), lib.gnutls_strerror(code).decode()))
