// Classes declared in a header, implemented in the test file.
#include <map>
#include <string>

// Every member function is defined in the test file: its private map can only
// change there.
class HandlerRegistry {
public:
  static HandlerRegistry &instance();
  void add(const std::string &Name, int Handler);

private:
  HandlerRegistry() = default;
  std::map<std::string, int> Handlers;
};

// remove() is defined in another translation unit: it may shrink the map.
class PeerTable {
public:
  static PeerTable &instance();
  void add(const std::string &Peer);
  void remove(const std::string &Peer);

private:
  PeerTable() = default;
  std::map<std::string, int> Peers;
};
