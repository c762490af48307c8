#include "cache.h"

void evictAll() { gHits.clear(); }
