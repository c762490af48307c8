// Shared by the translation units of the project-facts tests of
// leak-unbounded-global-cache (leak-unbounded-global-cache-project.cpp).
#include <map>
#include <string>

// Hits per URL: grown in the test's TU, trimmed (or not) in another one.
extern std::map<std::string, int> gHits;

// Registers a route: called with literals (or not) from another TU.
void registerRoute(const std::string &path);
