#include <vector>

struct Monitor {
  int Fd;
};

// A member container: grown by an inline method, trimmed by sweep(), which
// another translation unit defines (where no Manager lives for the process,
// so that TU does not track Watched as long-lived).
class Manager {
public:
  void watch(Monitor *M) { Watched.push_back(M); }
  void sweep();
  std::vector<Monitor *> Watched;
};
