// Inline functions of a project header: each has one static object per
// program, whichever translation units include the header.
#include <map>
#include <set>
#include <string>

// Only this function names the set: every translation unit sees all of its
// uses.
inline void rememberHost(const std::string &Host) {
  static std::set<std::string> Hosts;
  Hosts.insert(Host);
}

// Returned by reference: other translation units may shrink it.
inline std::map<std::string, int> &sharedTable() {
  static std::map<std::string, int> Table;
  return Table;
}
