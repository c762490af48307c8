#include "cache.h"

std::map<std::string, int> gHits;

void onRequest(const std::string &url) {
  gHits[url]++;
}
