// Project facts end to end (facts_e2e_test.py): a cache declared here, grown in grow.cpp, trimmed (or not) in trim.cpp.
#include <map>
#include <string>

extern std::map<std::string, int> gHits;
