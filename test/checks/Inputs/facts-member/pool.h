#include <vector>

struct Conn {
  int Fd;
};

// A private member grown by an inline method (znc's CSockCommon::
// m_vcMonitorFD shape): reap() is defined in reap.cpp (which trims it) or in
// noreap.cpp (which does not). Either file defines every other method, so it
// sees every use of Live and judges it alone -- and must still export a trim.
class Pool {
public:
  void add(Conn *C) { Live.push_back(C); }
  void reap();

private:
  std::vector<Conn *> Live;
};
