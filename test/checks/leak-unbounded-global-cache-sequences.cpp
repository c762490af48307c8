// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17
//
// A sequence (vector, deque, list, string) grows by one element per call
// even when the element is a constant; a map or set with a constant key
// holds one entry. Code that runs a bounded number of times (main, what
// only main calls outside loops) does not count.

#include <deque>
#include <list>
#include <map>
#include <set>
#include <string>
#include <vector>

bool readRequest(std::string &Out);

//===----------------------------------------------------------------------===//
// Must warn: constant elements added by code that runs on every request
//===----------------------------------------------------------------------===//

std::vector<int> Hits; // WARN: global std::vector 'Hits' only grows: elements are added on every call and never removed
static void onHit() {
  Hits.push_back(1); // NOTE: grows here: 'push_back' adds an element from a constant, on every call
}

std::deque<const char *> Events; // WARN: global std::deque 'Events' only grows: elements are added on every call
static void onEvent() {
  Events.emplace_back("event"); // NOTE: grows here: 'emplace_back' adds an element from a constant, on every call
}

std::list<int> Marks; // WARN: global std::list 'Marks' only grows
static void serve(const std::string &R) {
  onHit();
  onEvent();
  Marks.push_front(0); // NOTE: grows here: 'push_front' adds an element from a constant, on every call
}

// A callback (its address is handed on) and a virtual override run per event.
std::vector<int> Beats; // WARN: global std::vector 'Beats' only grows: elements are added on every call
static void onBeat() {
  Beats.push_back(1); // NOTE: grows here: 'push_back' adds an element from a constant, on every call
}
void registerHandler(void (*Fn)());
void installBeat() { registerHandler(&onBeat); }

struct Handler {
  virtual void handle() = 0;
  virtual ~Handler() = default;
};
std::vector<int> Handled; // WARN: global std::vector 'Handled' only grows: elements are added on every call
struct CountingHandler : Handler {
  void handle() override {
    Handled.push_back(0); // NOTE: grows here: 'push_back' adds an element from a constant, on every call
  }
};

//===----------------------------------------------------------------------===//
// Silent: constant keys of maps and sets, and code that runs once
//===----------------------------------------------------------------------===//

std::map<std::string, int> Counters;
std::set<int> Flags;
static void count(const std::string &R) {
  Counters["requests"]++;
  Flags.insert(7);
}

std::vector<int> Defaults;
static void setUpDefaults() {
  Defaults.push_back(80);
  for (int I = 0; I < 3; ++I)
    Defaults.push_back(443);
}

// No caller in this file: an init() that another file's main() may call
// once. Unsure: silent.
std::vector<int> Ports;
void initPorts() { Ports.push_back(8080); }

int main() {
  setUpDefaults();
  std::string R;
  while (readRequest(R)) {
    serve(R);
    count(R);
  }
}
