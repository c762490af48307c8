// The other TU does not: it only reads gHits, and registers a route it is
// given at run time.
#include "cache.h"

int hitsOf(const std::string &url) {
  auto It = gHits.find(url);
  return It == gHits.end() ? 0 : It->second;
}

void addRoute(const std::string &fromConfig) {
  registerRoute(fromConfig);
}
