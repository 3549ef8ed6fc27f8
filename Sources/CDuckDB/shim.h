#ifndef STOREHOUSE_CDUCKDB_SHIM_H
#define STOREHOUSE_CDUCKDB_SHIM_H
#include <duckdb.h>
#endif
