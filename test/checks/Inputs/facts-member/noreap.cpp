#include "pool.h"

void Pool::reap() {}
