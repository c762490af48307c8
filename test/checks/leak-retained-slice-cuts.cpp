// RUN: %check_leak %s leak-retained-slice -- -std=c++17
//
// Cuts that keep the capacity (issue 17, slices): a prefix erase after the
// container took a large buffer, clear() after a one-off burst in a function
// that runs once, and a shrink_to_fit() that runs before the cut (it frees
// nothing the cut drops). main() below runs a server that never ends soon, so
// runsOnce (lib/program/FunctionSummaries) can tell start-up code.

#include <cstddef>
#include <deque>
#include <string>
#include <utility>
#include <vector>

struct Row {
  int Id;
  char Name[60];
};
std::size_t rowCount(const char *Path);
Row readRow(const char *Path, std::size_t I);
void publish(const std::vector<Row> &Rows);
void serve();
bool running();
std::size_t parse(const std::vector<char> &Buf);

//===----------------------------------------------------------------------===//
// Must warn.
//===----------------------------------------------------------------------===//

// Erase a prefix after taking a large buffer: the tail keeps the whole array.
std::vector<int> g_tail;
void keepTail(std::vector<int> All) {
  g_tail = std::move(All); // NOTE: 'g_tail' takes a large buffer here
  g_tail.erase(g_tail.begin(), g_tail.end() - 16); // WARN: 'g_tail' is cut down here but keeps the capacity of a large buffer (size unknown) NOTE: give the capacity back
}

// std::string::erase(0, n) in another function than the fill.
std::string g_doc;
void loadDoc(std::string D) { g_doc = std::move(D); } // NOTE: 'g_doc' takes a large buffer here
void dropHeader(std::size_t N) { g_doc.erase(0, N); } // WARN: 'g_doc' is cut down here NOTE: give the capacity back

// erase(begin(), begin() + n) on a member of a singleton.
class Journal {
public:
  static Journal &instance() {
    static Journal J;
    return J;
  }
  void load(const std::deque<int> &All) { Entries.assign(All.begin(), All.end()); } // NOTE: 'Entries' takes a large buffer here
  void forget(std::size_t N) { Entries.erase(Entries.begin(), Entries.begin() + N); } // WARN: 'Entries' is cut down here NOTE: give the capacity back

private:
  std::deque<int> Entries;
};

// A one-off burst: filled, published and cleared in a function that runs
// once (called once from main()); nothing fills it again.
static std::vector<Row> g_rows;
static void buildIndex(const char *Path) { // NOTE: 'buildIndex' runs once: nothing fills 'g_rows' again after the cut
  for (std::size_t I = 0; I < rowCount(Path); ++I)
    g_rows.push_back(readRow(Path, I)); // NOTE: 'g_rows' takes a large buffer here
  publish(g_rows);
  g_rows.clear(); // WARN: 'g_rows' is cut down here but keeps the capacity of a large buffer (size unknown) NOTE: give the capacity back
}

// reserve(big) in start-up code two calls deep, then cleared.
static std::vector<int> g_ids;
static void loadIds(std::size_t N) { // NOTE: 'loadIds' runs once
  g_ids.reserve(N); // NOTE: 'g_ids' takes a large buffer here
  for (std::size_t I = 0; I < N; ++I)
    g_ids.push_back(int(I));
  g_ids.clear(); // WARN: 'g_ids' is cut down here NOTE: give the capacity back
}
static void startUp(std::size_t N) { loadIds(N); }

// shrink_to_fit() before the cut: the container is still full, it frees
// nothing; the cut after it keeps the capacity.
std::vector<char> g_frame;
void loadFrame(std::vector<char> F) { g_frame = std::move(F); } // NOTE: 'g_frame' takes a large buffer here
void trimFrame() {
  g_frame.shrink_to_fit(); // NOTE: this shrink runs before the cut, while the container still holds its elements: it frees nothing the cut drops
  g_frame.resize(64); // WARN: 'g_frame' is cut down here NOTE: give the capacity back
}

//===----------------------------------------------------------------------===//
// Must stay silent.
//===----------------------------------------------------------------------===//

// A stream buffer: data appended, the parsed prefix erased, in one function.
std::vector<char> g_inbox;
void onData(const char *P, std::size_t N) {
  g_inbox.insert(g_inbox.end(), P, P + N);
  std::size_t Used = parse(g_inbox);
  g_inbox.erase(g_inbox.begin(), g_inbox.begin() + Used);
}
// The same with the append and the consume in two functions.
std::string g_stream;
void receive(const char *P, std::size_t N) { g_stream.append(P, N); }
void consume(std::size_t N) { g_stream.erase(0, N); }

// A prefix erase followed by shrink_to_fit().
std::vector<int> g_history;
void loadHistory(std::vector<int> H) { g_history = std::move(H); }
void trimHistory() {
  g_history.erase(g_history.begin(), g_history.end() - 8);
  g_history.shrink_to_fit();
}

// Fill, use, clear in a function the server loop calls on every turn: the
// next turn fills it to the same size again.
static std::vector<Row> g_batch;
static void handleBatch(const char *Path) {
  for (std::size_t I = 0; I < rowCount(Path); ++I)
    g_batch.push_back(readRow(Path, I));
  publish(g_batch);
  g_batch.clear();
}

// Called twice: not a one-off.
static std::vector<Row> g_twice;
static void fillTwice(const char *Path) {
  for (std::size_t I = 0; I < rowCount(Path); ++I)
    g_twice.push_back(readRow(Path, I));
  publish(g_twice);
  g_twice.clear();
}

// External linkage: another translation unit may call it again.
std::vector<Row> g_exported;
void fillExported(const char *Path) {
  for (std::size_t I = 0; I < rowCount(Path); ++I)
    g_exported.push_back(readRow(Path, I));
  publish(g_exported);
  g_exported.clear();
}

// Runs once, but another function grows it later: the capacity is reused.
static std::vector<int> g_reused;
static void warmUp(std::size_t N) {
  for (std::size_t I = 0; I < N; ++I)
    g_reused.push_back(int(I));
  g_reused.clear();
}
void addReused(int V) { g_reused.push_back(V); }

// shrink_to_fit() after the cut gives the capacity back.
std::vector<char> g_page;
void loadPage(std::vector<char> P) { g_page = std::move(P); }
void trimPage() {
  g_page.resize(64);
  g_page.shrink_to_fit();
}
// `= {}` (keeps the capacity) then shrink_to_fit(): given back.
std::vector<char> g_reset;
void loadReset(std::vector<char> P) { g_reset = std::move(P); }
void resetAll() {
  g_reset = {};
  g_reset.shrink_to_fit();
}
// shrink_to_fit() in another function than the cut: it may run after it.
std::vector<char> g_image;
void loadImage(std::vector<char> P) { g_image = std::move(P); }
void trimImage() {
  g_image.shrink_to_fit();
  g_image.resize(64);
}
void compactImage() { g_image.shrink_to_fit(); }
// shrink_to_fit() before the cut but in a loop: the next turn frees it.
std::vector<char> g_tile;
void loadTile(std::vector<char> P) { g_tile = std::move(P); }
void trimTiles() {
  while (running()) {
    g_tile.shrink_to_fit();
    g_tile.resize(64);
  }
}

int main(int Argc, char **Argv) {
  buildIndex(Argv[0]);
  startUp(std::size_t(Argc) << 20);
  warmUp(std::size_t(Argc) << 20);
  fillTwice(Argv[0]);
  fillTwice(Argv[0]);
  while (running())
    handleBatch(Argv[0]);
  serve();
}
