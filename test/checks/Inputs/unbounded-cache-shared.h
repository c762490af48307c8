// A container shared with other translation units: they may shrink it.
#include <map>
#include <string>
extern std::map<std::string, int> gSharedCounts;
