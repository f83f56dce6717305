#ifndef INGEST_CZLIB_SHIM_H
#define INGEST_CZLIB_SHIM_H
// System zlib (zlib1g-dev): Emit writes `.jsonl.gz` parts with it.
#include <zlib.h>
#endif
