// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17 -I%S/Inputs
//
// What the program model (lib/program/ProgramFacts, FunctionSummaries)
// decides for this check: what lives as long as the process (locals of a
// main() that runs until the process ends, of functions that never return,
// heap objects held by long-lived storage, and their members), and which
// keys are constants (parameters only ever given constants, also through
// std::bind).

#include "unbounded-cache-program.h"
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>

std::string readRequest();

//===----------------------------------------------------------------------===//
// Must warn: what lives as long as the process
//===----------------------------------------------------------------------===//

// A server object declared in main(), whose run() loops until the process
// ends: its member map is a process-lifetime cache.
class Server {
public:
  void run() {
    std::string Line;
    while (std::getline(std::cin, Line))
      handle(Line);
  }

private:
  void handle(const std::string &Path) { Hits[Path] += 1; } // NOTE: grows here: 'operator[]' adds a key from parameter 'Path'
  std::map<std::string, int> Hits; // WARN: member std::map 'Server::Hits' only grows
};

// A global std::shared_ptr singleton: the object it holds, and its members,
// live as long as the process.
class Sessions {
public:
  void open(const std::string &Id) { Open.insert(Id); } // NOTE: grows here: 'insert' adds a key from parameter 'Id'
private:
  std::set<std::string> Open; // WARN: member std::set 'Sessions::Open' only grows
};
static std::shared_ptr<Sessions> TheSessions = std::make_shared<Sessions>(); // NOTE: lives as long as the process: the 'Sessions' created here, held by 'TheSessions' (static storage)

// A leaky singleton (`static T *instance = new T`) whose member points to a
// heap object: that object's members too.
class Index {
public:
  void add(const std::string &Word) { Words[Word] = 1; } // NOTE: grows here: 'operator[]' adds a key from parameter 'Word'
private:
  std::map<std::string, int> Words; // WARN: member std::map 'Index::Words' only grows
};
class Search {
public:
  static Search &get() {
    static Search *Instance = new Search; // NOTE: lives as long as the process: reached from the 'Search' created here, held by 'Instance' (static storage)
    return *Instance;
  }
  void add(const std::string &Word) { Idx->add(Word); }

private:
  std::unique_ptr<Index> Idx = std::make_unique<Index>();
};

// An inline static data member of a class defined in this file: no other
// translation unit can name it.
struct Stats {
  static inline std::map<std::string, long> Counts; // WARN: static data member std::map 'Counts' only grows
};
void count(const std::string &Event) { Stats::Counts[Event]++; } // NOTE: grows here: 'operator[]' adds a key from parameter 'Event'

// A function that never returns: its locals live as long as the process.
[[noreturn]] void serveForever() {
  std::set<std::string> Seen; // WARN: local std::set 'Seen' only grows NOTE: lives as long as the process: local of 'serveForever', which never returns
  for (;;)
    Seen.insert(readRequest()); // NOTE: grows here: 'insert' adds a key from the result of 'readRequest'
}

//===----------------------------------------------------------------------===//
// Must warn: keys from a function other translation units call
//===----------------------------------------------------------------------===//

// registerCodec is declared in a header: this file only calls it with
// literals, but other translation units may call it with anything.
static std::set<std::string> Codecs; // WARN: global std::set 'Codecs' only grows
void registerCodec(const std::string &Name) { Codecs.insert(Name); } // NOTE: grows here: 'insert' adds a key from parameter 'Name' of 'registerCodec', which other translation units may call

//===----------------------------------------------------------------------===//
// Silent
//===----------------------------------------------------------------------===//

// A class also used as a short-lived local elsewhere: its member map is not
// a global cache, even though main() holds one for the process.
class Parser {
public:
  void learn(const std::string &Tok) { Vocab[Tok] = 1; }
private:
  std::map<std::string, int> Vocab;
};
int parseOnce(const std::string &Text) {
  Parser P;
  P.learn(Text);
  return 0;
}

// A heap object held by a short-lived local: not a cache.
class Scratch {
public:
  void note(const std::string &K) { Notes[K] = 1; }
private:
  std::map<std::string, int> Notes;
};
void scratch(const std::string &K) {
  auto S = std::make_unique<Scratch>();
  S->note(K);
}

// A local of a nested block of main() dies at the block's end.
class Config {
public:
  void set(const std::string &K) { Values[K] = 1; }
private:
  std::map<std::string, int> Values;
};

// Registration through std::bind with a constant name: finitely many keys.
static std::map<std::string, int> Schemes;
static void registerScheme(const std::string &Name) { Schemes[Name] = 1; }
// Bound with a placeholder, the name is given at each call: reported.
static std::map<std::string, int> Routes; // WARN: global std::map 'Routes' only grows
static void addRoute(const std::string &Path) { Routes[Path] = 1; } // NOTE: grows here: 'operator[]' adds a key from parameter 'Path'

// A lambda that captures a constant name.
static std::set<std::string> Plugins;
static void loadPlugin(const std::string &Name) { Plugins.insert(Name); }

// A server's routes, registered once from main() before it runs forever:
// the member grows only as often as main() calls route() (silent).
class Router {
public:
  void route(const std::string &Path, int Id) { Routes[Path] = Id; }
  void serve();
private:
  std::map<std::string, int> Routes;
};

int main() {
  {
    Config C;
    C.set(readRequest());
  }
  Server S; // NOTE: lives as long as the process: 'S', local of main(), which runs until the process ends
  Router R;
  R.route(readRequest(), 1);
  R.route(readRequest(), 2);
  std::map<std::string, int> Users; // WARN: local std::map 'Users' only grows NOTE: lives as long as the process: local of main(), which runs until the process ends
  auto Http = std::bind(&registerScheme, "http");
  auto Https = std::bind(registerScheme, std::string("https"));
  Http();
  Https();
  auto Route = std::bind(&addRoute, std::placeholders::_1);
  const std::string Core = "core";
  auto Load = [Core] { loadPlugin(Core); };
  Load();
  registerCodec("png");
  registerCodec("jpeg");
  std::string User;
  while (std::getline(std::cin, User)) {
    Users[User] += 1; // NOTE: grows here: 'operator[]' adds a key from variable 'User' (read by 'getline')
    TheSessions->open(User);
    Search::get().add(User);
    count(User);
    Route(User);
    parseOnce(User);
    scratch(User);
  }
  S.run();
  serveForever();
}
