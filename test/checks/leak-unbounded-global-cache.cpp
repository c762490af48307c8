// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17 -I%S/Inputs
// RUN: %check_leak --config="{CheckOptions: {leak-unbounded-global-cache.AssumeExternalContainersUnbounded: true}}" --prefixes=,EXT %s leak-unbounded-global-cache -- -std=c++17 -I%S/Inputs
// RUN: %check_leak --allow-errors --allow-extra-notes %S/Inputs/unbounded-cache-broken.cpp leak-unbounded-global-cache -- -std=c++17

#include "unbounded-cache-shared.h"
#include <algorithm>
#include <cstdio>
#include <deque>
#include <forward_list>
#include <functional>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

struct Client {
  explicit Client(const std::string &Host) : Host(Host) {}
  std::string Host;
};
struct Request {
  std::string host() const { return Host; }
  std::string Host;
  int Id = 0;
};
enum class Color { Red, Green, Blue };
int nextTicket();

//===----------------------------------------------------------------------===//
// Must warn: storage kinds
//===----------------------------------------------------------------------===//

// The Go original: var cache = make(map[string]*http.Client).
static std::unordered_map<std::string, std::unique_ptr<Client>> ClientCache; // WARN: global std::unordered_map 'ClientCache' only grows: entries are added with run-time keys and never removed; bound it (LRU, TTL or size cap) or evict entries when they die

Client *getClient(const std::string &Host) {
  auto It = ClientCache.find(Host);
  if (It != ClientCache.end())
    return It->second.get();
  auto &Slot = ClientCache[Host]; // NOTE: grows here: 'operator[]' adds a key from parameter 'Host'
  Slot = std::make_unique<Client>(Host);
  return Slot.get();
}

bool firstTime(int RequestId) {
  static std::set<int> Seen; // WARN: static local std::set 'Seen' only grows
  return Seen.insert(RequestId).second; // NOTE: grows here: 'insert' adds a key from parameter 'RequestId'
}

struct Registry {
  static std::map<std::string, int> Counts; // WARN: static data member std::map 'Counts' only grows
  static void hit(const Request &R) { ++Counts[R.host()]; } // NOTE: 'operator[]' adds a key from parameter 'R'
};
std::map<std::string, int> Registry::Counts;

thread_local std::unordered_set<std::string> PerThreadNames; // WARN: thread_local std::unordered_set 'PerThreadNames' only grows
void remember(std::string Name) { PerThreadNames.emplace(std::move(Name)); } // NOTE: 'emplace' adds a key from parameter 'Name'

// A Meyers singleton: the member lives as long as the program.
class SessionStore {
public:
  static SessionStore &instance() {
    static SessionStore S;
    return S;
  }
  void open(int User, const std::string &Token) { Sessions.try_emplace(User, Token); } // NOTE: 'try_emplace' adds a key from parameter 'User'

private:
  SessionStore() = default;
  std::map<int, std::string> Sessions; // WARN: member std::map 'SessionStore::Sessions' only grows
};

// A global object of class type.
struct Metrics {
  void record(const std::string &Name, double V) { Samples.insert_or_assign(Name, V); } // NOTE: 'insert_or_assign' adds a key from parameter 'Name'
  std::unordered_map<std::string, double> Samples; // WARN: member std::unordered_map 'Metrics::Samples' only grows
};
Metrics GlobalMetrics;

// Never destroyed on purpose, still never shrunk.
static auto &Interned = *new std::set<std::string>; // WARN: global std::set 'Interned' only grows
const std::string &intern(const std::string &S) { return *Interned.insert(S).first; } // NOTE: 'insert' adds a key from parameter 'S'

static std::vector<Request> *Pending = new std::vector<Request>; // WARN: global std::vector 'Pending' only grows: elements are added with run-time values
void enqueue(const Request &R) { Pending->push_back(R); } // NOTE: 'push_back' adds an element from parameter 'R'

// A function-local static behind an accessor: its calls are its uses.
static std::map<std::string, Client *> &clientsByName() {
  static std::map<std::string, Client *> Clients; // WARN: static local std::map 'Clients' only grows
  return Clients;
}
void addClient(Client *C) { clientsByName()[C->Host] = C; } // NOTE: 'operator[]' adds a key from parameter 'C'

//===----------------------------------------------------------------------===//
// Must warn: grow operations and key sources
//===----------------------------------------------------------------------===//

std::string AuditLog; // WARN: global std::basic_string 'AuditLog' only grows: elements are added with run-time values
void audit(const char *Line) {
  AuditLog += Line; // NOTE: grows here: 'operator+=' adds an element from parameter 'Line'
  AuditLog.append("\n"); // no note: nothing in this file calls audit() again and again
}

std::deque<std::string> History; // WARN: global std::deque 'History' only grows
void readCommands() {
  std::string Cmd;
  while (std::cin >> Cmd)
    History.push_front(Cmd); // NOTE: 'push_front' adds an element from variable 'Cmd' (read by 'operator>>')
}

std::list<std::string> Lines; // WARN: global std::list 'Lines' only grows
void slurp(std::FILE *F) {
  char Buf[256];
  while (std::fgets(Buf, sizeof Buf, F))
    Lines.emplace_back(Buf); // NOTE: 'emplace_back' adds an element from variable 'Buf' (read by 'fgets')
}

std::map<int, Request> ByTicket; // WARN: global std::map 'ByTicket' only grows
void file(const Request &R) { ByTicket.emplace(nextTicket(), R); } // NOTE: adds a key from the result of 'nextTicket'

std::forward_list<int> Ids; // WARN: global std::forward_list 'Ids' only grows
int Counter = 0;
void allocateId() { Ids.push_front(Counter++); } // NOTE: adds an element from global 'Counter'

std::unordered_map<std::thread::id, int> PerThreadCalls; // WARN: 'PerThreadCalls' only grows
void countCall() { PerThreadCalls[std::this_thread::get_id()]++; } // NOTE: adds a key from the result of 'get_id'

std::set<std::string> Hosts; // WARN: 'Hosts' only grows
void addHost(const Request &R) {
  std::string Key = R.host() + ":443";
  Hosts.insert(Key); // NOTE: adds a key from variable 'Key' (from parameter 'R')
}

// Keys inside pairs and piecewise construction.
std::map<std::string, int> PairKeys; // WARN: 'PairKeys' only grows
void pairs(const std::string &K) {
  PairKeys.insert(std::make_pair(K, 1)); // NOTE: from parameter 'K'
  PairKeys.emplace(std::piecewise_construct, std::forward_as_tuple(K + "x"), std::forward_as_tuple(2)); // NOTE: 'emplace' adds a key from parameter 'K'
}

// More growing calls than notes.
std::map<std::string, int> Many; // WARN: 'Many' only grows
void many(const std::string &A, const std::string &B) {
  Many[A] = 1; // NOTE: from parameter 'A'
  Many[B] = 2; // NOTE: from parameter 'B'
  Many.emplace(A + B, 3); // NOTE: 'emplace' adds a key from parameter 'A'; 1 more growing calls not shown
  Many.insert({B + A, 4});
}

// Inside a lambda run later, in a loop, through a macro.
std::vector<int> Events; // WARN: 'Events' only grows
#define RECORD(X) Events.push_back(X)
void onEvent(int E) {
  auto Handler = [](int V) { RECORD(V); }; // NOTE: 'push_back' adds an element from parameter 'V'
  Handler(E);
}

// A class derived from a container is that container.
struct NameSet : std::set<std::string> {};
NameSet KnownNames; // WARN: global std::set 'KnownNames' only grows
void know(const std::string &N) { KnownNames.insert(N); } // NOTE: from parameter 'N'

// Registering objects in a global set without ever unregistering them.
struct Widget {
  Widget();
};
std::unordered_set<Widget *> AllWidgets; // WARN: 'AllWidgets' only grows
Widget::Widget() { AllWidgets.insert(this); } // NOTE: adds a key from 'this'

//===----------------------------------------------------------------------===//
// Must warn: templates
//===----------------------------------------------------------------------===//

template <typename K> struct Memo {
  void put(const K &Key, int V) { Values[Key] = V; } // NOTE: from parameter 'Key'
  std::map<K, int> Values; // WARN: member std::map 'Memo::Values' only grows
};
Memo<std::string> StringMemo;
Memo<long> LongMemo;
void memoize(const std::string &S, long L) {
  StringMemo.put(S, 1);
  LongMemo.put(L, 2);
}

std::map<std::string, int> Generic; // WARN: 'Generic' only grows
template <typename T> void addGeneric(const T &Key) { Generic[Key] = 0; } // NOTE: from parameter 'Key'
void useGeneric(const std::string &S) { addGeneric(S); }

//===----------------------------------------------------------------------===//
// Silent: something shrinks it somewhere in the TU
//===----------------------------------------------------------------------===//

std::map<std::string, int> ErasedElsewhere;
void putE(const std::string &K) { ErasedElsewhere[K] = 1; }
void dropE(const std::string &K) { ErasedElsewhere.erase(K); }

std::unordered_map<std::string, int> Cleared;
void putC(const std::string &K) { Cleared.emplace(K, 1); }
void onConfigReload() { Cleared.clear(); }

std::set<std::string> Extracted;
void putX(const std::string &K) { Extracted.insert(K); }
std::string takeOne() { return std::move(Extracted.extract(Extracted.begin()).value()); }

std::deque<Request> Queue;
void push(const Request &R) { Queue.push_back(R); }
void drain() {
  while (!Queue.empty())
    Queue.pop_front();
}

std::vector<std::string> Swapped;
void addS(const std::string &S) { Swapped.push_back(S); }
std::vector<std::string> takeAll() {
  std::vector<std::string> Out;
  Out.swap(Swapped); // the argument of someone else's swap
  return Out;
}

std::vector<std::string> Assigned;
void addA(const std::string &S) { Assigned.push_back(S); }
void resetA() { Assigned = {}; }

std::vector<int> ErasedIf;
void addI(int V) { ErasedIf.push_back(V); }
void prune() { ErasedIf.erase(std::remove(ErasedIf.begin(), ErasedIf.end(), 0), ErasedIf.end()); }

struct Entry {
  std::string Value;
  long Expiry;
};
std::unordered_map<std::string, Entry> WithTtl;
void putT(const std::string &K, Entry E) { WithTtl[K] = E; }
void expire(long Now) {
  for (auto It = WithTtl.begin(); It != WithTtl.end();) {
    if (It->second.Expiry < Now)
      It = WithTtl.erase(It);
    else
      ++It;
  }
}

std::vector<std::string> Moved;
void addM(const std::string &S) { Moved.push_back(S); }
std::vector<std::string> flush() { return std::move(Moved); }

std::map<int, int> PopQueue;
std::priority_queue<int> Heap;
void addH(int V) { Heap.push(V); }
int top() {
  int V = Heap.top();
  Heap.pop();
  return V;
}

static std::set<std::string> &liveNames() {
  static std::set<std::string> Names;
  return Names;
}
void born(const std::string &N) { liveNames().insert(N); }
void died(const std::string &N) { liveNames().erase(N); }

// Memoisation of a computation on constant input: recursive calls only pass
// on what main gave.
std::map<int, long> FibMemo;
long fib(int N) {
  if (N < 2)
    return N;
  auto It = FibMemo.find(N);
  if (It != FibMemo.end())
    return It->second;
  return FibMemo[N] = fib(N - 1) + fib(N - 2);
}

//===----------------------------------------------------------------------===//
// Silent: bounded by a size check
//===----------------------------------------------------------------------===//

constexpr std::size_t MaxEntries = 1024;
std::map<std::string, int> Capped;
void putCap(const std::string &K) {
  if (Capped.size() < MaxEntries)
    Capped[K] = 1;
}

std::unordered_map<std::string, int> CappedElsewhere;
bool full() { return CappedElsewhere.size() >= MaxEntries; }
void putCap2(const std::string &K) {
  if (!full())
    CappedElsewhere.emplace(K, 1);
}

//===----------------------------------------------------------------------===//
// Silent: finite keys and constant keys
//===----------------------------------------------------------------------===//

std::map<Color, std::string> ByColor;
void name(Color C, const std::string &N) { ByColor[C] = N; }

std::map<bool, int> ByFlag;
void flag(bool B) { ByFlag[B]++; }

std::map<char, int> ByChar;
void countChar(char C) { ByChar[C]++; }

std::map<std::string, int> ConstantKeys;
void countKinds(bool Ok) {
  ConstantKeys["requests"]++;
  if (Ok)
    ConstantKeys["ok"]++;
  ConstantKeys[std::string("total")]++;
}

std::map<int, int> ByEnumerator;
void byEnum() { ByEnumerator[static_cast<int>(Color::Red)] = 1; }

const std::map<std::string, int> ConstMap = {{"a", 1}};

// A constant key with a run-time value updates one entry.
std::map<std::string, std::string> LastValues;
void setLast(const std::string &V) {
  LastValues.insert(std::make_pair("last", V));
  LastValues.insert({"previous", V});
  LastValues.emplace(std::piecewise_construct, std::forward_as_tuple("first"), std::forward_as_tuple(V));
}

//===----------------------------------------------------------------------===//
// Silent: filled once at start-up
//===----------------------------------------------------------------------===//

std::map<std::string, int> FilledByStaticObject;
struct Filler {
  Filler(const char *Name) { FilledByStaticObject[Name] = 1; }
};
Filler FillA("a"), FillB("b");

std::map<std::string, int> FilledByInitializer;
static bool Filled = [] {
  std::string K = std::to_string(nextTicket());
  FilledByInitializer[K] = 1;
  return true;
}();

std::map<std::string, int> FilledOnce;
std::once_flag FillFlag;
void lookupOnce(const std::string &K) {
  std::call_once(FillFlag, [&] { FilledOnce[K] = 1; });
}

std::map<std::string, int> FilledFromTable;
struct Builtin {
  const char *Name;
  int Value;
};
constexpr Builtin Builtins[] = {{"one", 1}, {"two", 2}};
void registerBuiltins() {
  for (const Builtin &B : Builtins)
    FilledFromTable[B.Name] = B.Value;
  for (std::size_t I = 0; I < 2; ++I)
    FilledFromTable.emplace(Builtins[I].Name, Builtins[I].Value);
}

std::map<std::string, int> FilledFromMain;
static void addCommand(const std::string &Name, int Id) { FilledFromMain.emplace(Name, Id); }
static void setUp() {
  addCommand("get", 1);
  addCommand("put", 2);
}

std::vector<std::string> ListFromLiterals;
void fillList() {
  for (const char *S : {"x", "y"})
    ListFromLiterals.push_back(S);
}

// A singleton whose constructor fills its table.
class Dialects {
public:
  static Dialects &get() {
    static Dialects D;
    return D;
  }

private:
  Dialects() {
    for (int I = 0; I < 10; ++I)
      Known.insert(std::to_string(I));
  }
  std::set<std::string> Known;
};

//===----------------------------------------------------------------------===//
// Silent: short-lived containers
//===----------------------------------------------------------------------===//

int countDistinct(const std::vector<int> &V) {
  std::set<int> Local;
  for (int X : V)
    Local.insert(X);
  return static_cast<int>(Local.size());
}

struct Parser {
  void token(const std::string &T) { Tokens.push_back(T); }
  std::vector<std::string> Tokens;
};
void parse(const std::string &S) {
  Parser P;
  P.token(S);
}
// Has a static instance, but also short-lived ones: we cannot tell which
// instance grows.
struct Buffer {
  void add(const std::string &S) { Parts.push_back(S); }
  std::vector<std::string> Parts;
};
Buffer GlobalBuffer;
void fillLocal(const std::string &S) {
  Buffer Local;
  Local.add(S);
}

//===----------------------------------------------------------------------===//
// Silent: escapes we cannot follow
//===----------------------------------------------------------------------===//

std::map<std::string, int> Returned;
std::map<std::string, int> &returned() { return Returned; }
void putR(const std::string &K) { Returned[K] = 1; }

std::map<std::string, int> PassedByRef;
void cleanup(std::map<std::string, int> &M);
void putP(const std::string &K) {
  PassedByRef[K] = 1;
  cleanup(PassedByRef);
}

std::map<std::string, int> Aliased;
void putAl(const std::string &K) {
  auto &M = Aliased;
  M[K] = 1;
  Aliased[K] = 2;
}

std::map<std::string, int> ReadOnlyUses; // WARN: 'ReadOnlyUses' only grows
int total(const std::map<std::string, int> &M);
void putRO(const std::string &K) {
  ReadOnlyUses[K] = 1; // NOTE: from parameter 'K'
  const auto &View = ReadOnlyUses;
  (void)View;
  for (auto &KV : ReadOnlyUses)
    KV.second++;
  (void)total(ReadOnlyUses);
}

//===----------------------------------------------------------------------===//
// Near misses: each exemption above, broken once
//===----------------------------------------------------------------------===//

// Only an emptiness test, not a bound.
std::map<std::string, int> EmptinessOnly; // WARN: 'EmptinessOnly' only grows
void putEmpty(const std::string &K) {
  if (EmptinessOnly.size() > 0 || EmptinessOnly.empty())
    EmptinessOnly[K] = 1; // NOTE: from parameter 'K'
}

// A registration helper that one caller feeds with run-time data.
std::map<std::string, int> MostlyConstant; // WARN: 'MostlyConstant' only grows
static void addEntry(const std::string &Name) { MostlyConstant.emplace(Name, 0); } // NOTE: from parameter 'Name'
void setUpEntries() { addEntry("a"); }
void onRequest(const Request &R) { addEntry(R.Host); }

// call_once elsewhere does not make every grow start-up.
std::map<std::string, int> OnceAndLater; // WARN: 'OnceAndLater' only grows
std::once_flag LaterFlag;
void laterLookup(const std::string &K) {
  std::call_once(LaterFlag, [] { OnceAndLater["init"] = 1; });
  OnceAndLater[K] = 2; // NOTE: from parameter 'K'
}

// A constructor that runs for a short-lived object too is not start-up.
std::set<std::string> FilledByAnyObject; // WARN: 'FilledByAnyObject' only grows
struct Tracker {
  explicit Tracker(const std::string &Name) { FilledByAnyObject.insert(Name); } // NOTE: from parameter 'Name'
};
Tracker GlobalTracker("global");
void track(const std::string &Name) { Tracker T(Name); }

// A loop over a run-time range.
std::set<std::string> FromRange; // WARN: 'FromRange' only grows
void addAll(const std::vector<std::string> &Names) {
  for (const std::string &N : Names)
    FromRange.insert(N); // NOTE: adds a key from variable 'N' (an element of parameter 'Names')
}

// A handler registered during set-up runs later, once per request.
std::map<std::string, int> FilledByHandler; // WARN: 'FilledByHandler' only grows
std::function<void(const std::string &)> OnRequest;
static void installHandlers() {
  OnRequest = [](const std::string &Path) { FilledByHandler[Path]++; }; // NOTE: from parameter 'Path'
}

// A lambda stored first and then handed to call_once runs once.
std::map<std::string, int> FilledByStoredOnce;
std::once_flag StoredFlag;
void storedOnce(const std::string &K) {
  auto Init = [&] { FilledByStoredOnce[K] = 1; };
  std::call_once(StoredFlag, Init);
}

// The command line is finite and given once.
std::vector<std::string> Arguments;
static void keepArguments(int Argc, char **Argv) {
  for (int I = 1; I < Argc; ++I)
    Arguments.push_back(Argv[I]);
}

// Lines read in main's loop grow forever.
std::vector<std::string> InputLines; // WARN: 'InputLines' only grows

// ... but memoising a function of run-time input is an unbounded cache.
std::map<long, long> SquareMemo; // WARN: 'SquareMemo' only grows
long square(long N) {
  if (N < 0)
    return square(-N);
  return SquareMemo[N] = N * N; // NOTE: from parameter 'N'
}
long squareOfTicket() { return square(nextTicket()); }

//===----------------------------------------------------------------------===//
// Known limits
//===----------------------------------------------------------------------===//

// Nested growth (issue 17, formerly a FIXME here): the outer key is an
// enumerator, the inner vector grows forever (-nested.cpp has the forms).
std::map<Color, std::vector<std::string>> ByColorLog; // WARN: the inner sequences of global std::map 'ByColorLog' only grow
void logColor(const std::string &Line) { ByColorLog[Color::Red].push_back(Line); } // NOTE: grows here: 'push_back' adds an element from parameter 'Line'


// Constant elements grow a sequence, one per call -- but only code that this
// file shows running again and again counts: tick() has no caller here (it
// may be an init() another file's main() calls once). Unsure: silent.
std::vector<int> Ticks;
void tick() { Ticks.push_back(1); }

// FIXME: a registration function with external linkage whose callers (with
// constant names, in other translation units) we cannot see is reported.
std::map<std::string, int> Factories; // WARN: 'Factories' only grows
void registerFactory(const std::string &Name, int Id) { Factories[Name] = Id; } // NOTE: from parameter 'Name'

// Intended and known to be small: silenced at the declaration.
std::set<std::string> KnownRegions; // NOLINT(leak-unbounded-global-cache)
void region(const std::string &R) { KnownRegions.insert(R); }

//===----------------------------------------------------------------------===//
// External containers
//===----------------------------------------------------------------------===//

std::map<std::string, int> gSharedCounts; // EXT-WARN: global std::map 'gSharedCounts' only grows
void countShared(const std::string &K) { gSharedCounts[K]++; } // EXT-NOTE: from parameter 'K'

int main(int argc, char **argv) {
  setUp();
  installHandlers();
  keepArguments(argc, argv);
  std::string Line;
  while (std::getline(std::cin, Line))
  {
    InputLines.push_back(Line); // NOTE: 'push_back' adds an element from variable 'Line' (read by 'getline')
    getClient(Line);
  }
  registerBuiltins();
  (void)fib(30);
  fillList();
  (void)Dialects::get();
  return 0;
}

