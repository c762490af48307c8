#include <vector>

struct Entry {
  int Fd;
};

// A member container grown by the TU under test; walk.cpp defines the other
// methods. Whether anything trims Items decides.
class Registry {
public:
  void dump() const;
  void prune();
  std::vector<Entry *> Items;
};
