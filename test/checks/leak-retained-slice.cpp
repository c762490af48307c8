// RUN: %check_leak %s leak-retained-slice -- -std=c++17 -fexceptions
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.SliceTypes: 'net::Slice;net::Chunk'}}" --prefixes=,SLICE %s leak-retained-slice -- -std=c++17 -fexceptions
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.LargeBufferBytes: '64'}}" --prefixes=,SMALL %s leak-retained-slice -- -std=c++17 -fexceptions
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.OwnerTypes: '+net::RefPtr'}}" --prefixes=,OWNER %s leak-retained-slice -- -std=c++17 -fexceptions
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.SlicingFunctions: 'net::subBuffer'}}" --prefixes=,SLICEFN %s leak-retained-slice -- -std=c++17 -fexceptions
// RUN: %check_leak --allow-errors --allow-extra-notes %s leak-retained-slice -- -std=c++17 -DBROKEN

#include <array>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using Buffer = std::vector<char>;
using BufferPtr = std::shared_ptr<Buffer>;
std::shared_ptr<Buffer> readAll(int fd);
BufferPtr readHeader(int fd);

//===----------------------------------------------------------------------===//
// Form 1: the aliasing constructor of std::shared_ptr.
//===----------------------------------------------------------------------===//

std::shared_ptr<const char> g_head;
std::map<int, std::shared_ptr<const char>> g_cache;
std::vector<std::shared_ptr<const char>> g_list;
std::function<void()> g_callback;

// Straight line: the Go original, `a = b[:3]`.
void keepHead(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  g_head = std::shared_ptr<const char>(b, b->data()); // WARN: slice stored in 'g_head' keeps the whole buffer alive (size unknown) NOTE: copy the part you need
}

// A read from input: unknown size counts as large.
void keepFromRead(int fd) {
  auto buf = readAll(fd); // NOTE: the retained buffer is returned by this call
  g_head = std::shared_ptr<const char>(buf, buf->data() + 8); // WARN: slice stored in 'g_head' keeps the whole buffer alive (size unknown) NOTE: copy the part you need
}

// A large constant size.
void keepLarge() {
  auto buf = std::make_shared<Buffer>(1 << 20); // NOTE: the retained buffer is allocated here
  g_cache[1] = std::shared_ptr<const char>(buf, buf->data() + 4); // WARN: slice stored in an element of 'g_cache' keeps the whole buffer alive (1048576 bytes) NOTE: copy the part you need
}

// new[] behind a shared_ptr<char[]>.
std::shared_ptr<char> g_raw;
void keepArray(std::size_t n) {
  std::shared_ptr<char[]> block(new char[n]); // NOTE: the retained buffer is allocated here
  g_raw = std::shared_ptr<char>(block, block.get() + 16); // WARN: slice stored in 'g_raw' keeps the whole buffer alive (size unknown) NOTE: copy the part you need
}

// Into a container held by a global.
void keepInList(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  g_list.push_back(std::shared_ptr<const char>(b, b->data() + 2)); // WARN: slice stored in an element of 'g_list' keeps the whole buffer alive NOTE: copy the part you need
}

// Through a local variable, then moved into the global.
void keepViaLocal(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  std::shared_ptr<const char> s(b, b->data() + 2); // NOTE: the slice is made here
  if (b->size() > 2)
    g_head = std::move(s); // WARN: slice stored in 'g_head' NOTE: copy the part you need
}

// Captured by a callback held by a global.
void keepInCallback(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  std::shared_ptr<const char> s(b, b->data() + 2); // NOTE: the slice is made here
  g_callback = [s] { (void)s; }; // WARN: slice stored in 'g_callback' NOTE: copy the part you need
}

// An init-capture of a callback held by a global.
void keepInInitCapture(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  g_callback = [s = std::shared_ptr<const char>(b, b->data() + 2)] { (void)s; }; // WARN: slice stored in 'g_callback' NOTE: copy the part you need
}

// A static local.
void keepInStaticLocal(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  static std::shared_ptr<const char> last;
  last = std::shared_ptr<const char>(b, b->data() + 1); // WARN: slice stored in 'last' NOTE: copy the part you need
}

// A thread_local, initialised with the slice.
void keepInThreadLocal(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  thread_local std::shared_ptr<const char> tl(b, b->data() + 1); // WARN: slice stored in 'tl' NOTE: copy the part you need
}

// In a loop.
void keepEach(const std::vector<BufferPtr> &bufs) {
  for (const BufferPtr &b : bufs) // NOTE: the retained buffer is owned by 'b'
    g_list.push_back(std::shared_ptr<const char>(b, b->data())); // WARN: slice stored in an element of 'g_list' NOTE: copy the part you need
}

// Member of an object that lives for the program (a Meyers-style global).
class Registry {
public:
  void remember(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
    Last = std::shared_ptr<const char>(b, b->data() + 4); // WARN: slice stored in 'Last' NOTE: copy the part you need
  }

private:
  std::shared_ptr<const char> Last;
};
Registry g_registry;

// A pair put into a global map.
std::map<int, std::pair<int, std::shared_ptr<const char>>> g_pairs;
void keepPair(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  g_pairs.emplace(1, std::make_pair(2, std::shared_ptr<const char>(b, b->data()))); // WARN: slice stored in an element of 'g_pairs' NOTE: copy the part you need
}

// Macros: the store is reported where the macro is used.
#define KEEP(dst, b) dst = std::shared_ptr<const char>(b, (b)->data())
void keepMacro(BufferPtr b) { // NOTE: the retained buffer comes from parameter 'b'
  KEEP(g_head, b); // WARN: slice stored in 'g_head' NOTE: copy the part you need
}

// Templates: reported once per store, in the instantiation.
template <typename T> struct Holder { static std::shared_ptr<const T> Keep; };
template <typename T> std::shared_ptr<const T> Holder<T>::Keep;
template <typename T> void keepTemplate(std::shared_ptr<std::vector<T>> b) { // NOTE: the retained buffer comes from parameter 'b'
  Holder<T>::Keep = std::shared_ptr<const T>(b, b->data()); // WARN: slice stored in 'Keep' NOTE: copy the part you need
}
template void keepTemplate<char>(std::shared_ptr<std::vector<char>>);
template void keepTemplate<int>(std::shared_ptr<std::vector<int>>);

//--- Must stay silent (form 1) ---------------------------------------------//

// A copy of the slice.
std::vector<char> g_copy;
std::string g_text;
void copyHead(BufferPtr b) {
  g_copy = std::vector<char>(b->begin(), b->begin() + 3);
  g_text = std::string(std::string_view(b->data(), 3));
}

// A local view that never escapes.
std::size_t localView(BufferPtr b) {
  std::shared_ptr<const char> s(b, b->data() + 2);
  return s ? 1 : 0;
}

// Returned to the caller: its lifetime is the caller's business.
std::shared_ptr<const char> returnedView(BufferPtr b) {
  return std::shared_ptr<const char>(b, b->data() + 2);
}

// Stored in an ordinary object (not long-lived).
struct Message {
  std::shared_ptr<const char> Body;
  void set(BufferPtr b) { Body = std::shared_ptr<const char>(b, b->data()); }
};

// A view into a buffer that is itself global: nothing extra is retained.
BufferPtr g_buffer = std::make_shared<Buffer>(1 << 20);
void viewIntoGlobal() {
  g_head = std::shared_ptr<const char>(g_buffer, g_buffer->data() + 4);
}

// Small buffers (below the threshold) and fixed small arrays.
void smallBuffer() {
  auto buf = std::make_shared<Buffer>(64); // SMALL-NOTE: allocated here
  g_head = std::shared_ptr<const char>(buf, buf->data() + 4); // SMALL-WARN: slice stored in 'g_head' keeps the whole buffer alive (64 bytes) SMALL-NOTE: copy the part you need
}
std::shared_ptr<const int> g_counter;
void fixedArray() {
  auto arr = std::make_shared<std::array<int, 4>>();
  g_counter = std::shared_ptr<const int>(arr, arr->data() + 1);
}

// Aliasing a member of a plain object: the object is small.
struct Config {
  int Port;
  std::string Name;
};
std::shared_ptr<const int> g_port;
void keepPort(std::shared_ptr<Config> c) {
  g_port = std::shared_ptr<const int>(c, &c->Port);
}

// Not the aliasing constructor: shared_ptr(p, deleter).
std::shared_ptr<char> g_owned;
void ownWithDeleter(std::size_t n) {
  g_owned = std::shared_ptr<char>(new char[n], std::default_delete<char[]>());
}

//===----------------------------------------------------------------------===//
// Form 1: user-defined slice types (option SliceTypes) and owner types.
//===----------------------------------------------------------------------===//
namespace net {
struct Slice {
  std::shared_ptr<std::vector<char>> Owner;
  std::size_t Off, Len;
};
class Chunk {
public:
  Chunk(std::shared_ptr<std::vector<char>> Owner, std::size_t Off)
      : Owner(std::move(Owner)), Off(Off) {}

private:
  std::shared_ptr<std::vector<char>> Owner;
  std::size_t Off;
};
// Stands for an intrusive reference-counted pointer with an aliasing
// constructor (configured by name through OwnerTypes).
template <typename T> struct RefPtr {
  RefPtr() = default;
  template <typename Y> RefPtr(const RefPtr<Y> &Owner, T *P) : Ptr(P) {}
  T *operator->() const { return Ptr; }
  T *Ptr = nullptr;
};
BufferPtr subBuffer(const BufferPtr &Parent, std::size_t Off, std::size_t Len);
} // namespace net

net::Slice g_token;
std::deque<net::Chunk> g_chunks;
void keepToken(BufferPtr b) { // SLICE-NOTE: the retained buffer comes from parameter 'b'
  g_token = net::Slice{b, 4, 3}; // SLICE-WARN: slice stored in 'g_token' keeps the whole buffer alive SLICE-NOTE: copy the part you need
}
void keepChunk(BufferPtr b) { // SLICE-NOTE: the retained buffer comes from parameter 'b'
  g_chunks.emplace_back(net::Chunk(b, 4)); // SLICE-WARN: slice stored in an element of 'g_chunks' SLICE-NOTE: copy the part you need
}
void keepSmallToken() {
  g_token = net::Slice{std::make_shared<std::vector<char>>(16), 0, 4};
}

net::RefPtr<const char> g_ref;
void keepRef(net::RefPtr<Buffer> b) { // OWNER-NOTE: the retained buffer comes from parameter 'b'
  g_ref = net::RefPtr<const char>(b, b->data() + 1); // OWNER-WARN: slice stored in 'g_ref' keeps the whole buffer alive OWNER-NOTE: copy the part you need
}

BufferPtr g_sub;
void keepSub(BufferPtr b) { // SLICEFN-NOTE: the retained buffer comes from parameter 'b'
  g_sub = net::subBuffer(b, 0, 3); // SLICEFN-WARN: slice stored in 'g_sub' SLICEFN-NOTE: copy the part you need
}

//===----------------------------------------------------------------------===//
// Form 2: an interior pointer into a heap block, base lost.
//===----------------------------------------------------------------------===//
const char *g_name;
std::vector<const char *> g_names;
void parseName(std::size_t n) {
  char *block = new char[n]; // NOTE: the block is allocated here; its base pointer 'block' is never freed nor kept
  std::memset(block, 0, n);
  g_name = block + 4; // WARN: pointer into the middle of a heap block stored in 'g_name' keeps the whole block alive (size unknown) NOTE: copy the part you need into a block of its own
}
void parseNames(std::size_t n) {
  char *block = static_cast<char *>(std::malloc(n)); // NOTE: the block is allocated here
  g_names.push_back(&block[2]); // WARN: pointer into the middle of a heap block stored in an element of 'g_names' NOTE: copy the part you need into a block of its own
}
// Freed, kept, small, the base itself, a stack array: silent.
void parseFreed(std::size_t n) {
  char *block = new char[n];
  g_name = block + 4;
  delete[] block;
}
void parseSmall() {
  char *block = new char[16];
  g_name = block + 4;
}
void parseWhole(std::size_t n) { g_name = new char[n]; }
void parseStack() {
  static char local[8192];
  g_name = local + 4;
}
std::string g_owned_name;
void parseCopy(std::size_t n) {
  char *block = new char[n];
  g_owned_name = std::string(block + 4);
  delete[] block;
}

//===----------------------------------------------------------------------===//
// Form 3: containers that take a large buffer, are cut down, never released.
//===----------------------------------------------------------------------===//

// Move-assigned from an unknown-size buffer, cut down elsewhere.
std::vector<char> g_data;
void load(std::vector<char> big) { g_data = std::move(big); } // NOTE: 'g_data' takes a large buffer here
int sumData() {
  int Sum = 0;
  for (char C : g_data)
    Sum += C;
  return Sum;
}
void trim() { g_data.resize(16); } // WARN: 'g_data' is cut down here but keeps the capacity of a large buffer (size unknown) NOTE: give the capacity back

// `v = {}` is the initializer-list assignment: it clears, keeps capacity.
std::vector<int> g_ids;
void loadIds(std::size_t n) { g_ids.reserve(n); } // NOTE: 'g_ids' takes a large buffer here
void resetIds() { g_ids = {}; } // WARN: 'g_ids' is cut down here NOTE: give the capacity back

// The same for std::string and std::deque.
std::string g_body;
void loadBody(std::string b) { g_body = std::move(b); } // NOTE: 'g_body' takes a large buffer here
void resetBody() { g_body = {}; } // WARN: 'g_body' is cut down here NOTE: give the capacity back
std::deque<char> g_chars;
void loadChars(std::deque<char> d) { g_chars = std::move(d); } // NOTE: 'g_chars' takes a large buffer here
void resetChars() { g_chars = {}; } // WARN: 'g_chars' is cut down here NOTE: give the capacity back

// Fill and cut in one function: the Go `a = b[:3]` on a container.
std::deque<int> g_queue;
void keepFirst(std::deque<int> all) {
  g_queue = std::move(all); // NOTE: 'g_queue' takes a large buffer here
  g_queue.erase(g_queue.begin() + 3, g_queue.end()); // WARN: 'g_queue' is cut down here
} // NOTE@-1: give the capacity back

// A burst of growth, then clear() in another function.
std::string g_log;
void collect(const std::vector<std::string> &lines) {
  for (const std::string &l : lines)
    g_log += l; // NOTE: 'g_log' takes a large buffer here
}
void flushLog() { g_log.clear(); } // WARN: 'g_log' is cut down here NOTE: give the capacity back

// A large initial size.
static std::vector<double> g_samples(1 << 16); // NOTE: 'g_samples' takes a large buffer here
void keepRecent() { g_samples.resize(4); } // WARN: 'g_samples' is cut down here but keeps the capacity of a large buffer (524288 bytes) NOTE: give the capacity back

// A data member of an ordinary object, all members visible.
class Parser {
public:
  void feed(const char *p, std::size_t n) { Pending.append(p, n); } // NOTE: 'Pending' takes a large buffer here
  void keepHeader() { Pending.resize(16); } // WARN: 'Pending' is cut down here NOTE: give the capacity back

private:
  std::string Pending;
};

// A pool filled up to a cap on its own size and trimmed elsewhere
// (libtorrent's disk_io_thread_pool): the capacity is the cap it grows back
// to, not a burst. Silent.
class WorkerPool {
public:
  void grow(int Wanted) {
    for (int I = 0; I < Wanted && int(Workers.size()) < MaxWorkers; ++I)
      Workers.push_back(I);
  }
  void retire() { Workers.erase(Workers.begin() + 1, Workers.end()); }

private:
  int MaxWorkers = 8;
  std::vector<int> Workers;
};
// The same fill without the cap is a burst.
class Unbounded {
public:
  void grow(int Wanted) {
    for (int I = 0; I < Wanted; ++I)
      Items.push_back(I); // NOTE: 'Items' takes a large buffer here
  }
  void retire() { Items.erase(Items.begin() + 1, Items.end()); } // WARN: 'Items' is cut down here NOTE: give the capacity back

private:
  std::vector<int> Items;
};

// A member of a singleton (a static instance): emptying it counts.
class BlobCache {
public:
  static BlobCache &instance() {
    static BlobCache Cache;
    return Cache;
  }
  void load(std::vector<char> b) { Blob = std::move(b); } // NOTE: 'Blob' takes a large buffer here
  void reset() { Blob.clear(); } // WARN: 'Blob' is cut down here NOTE: give the capacity back

private:
  std::vector<char> Blob;
};

// Through a macro, inside a lambda.
#define DROP_ALL(v) (v).clear() // NOTE: expanded from macro NOTE: expanded from macro
std::vector<int> g_events;
void record(const int *p, std::size_t n) { g_events.insert(g_events.end(), p, p + n); } // NOTE: 'g_events' takes a large buffer here
void onIdle() {
  auto drop = [] { DROP_ALL(g_events); }; // WARN: 'g_events' is cut down here NOTE: give the capacity back
  drop();
}

// Exceptions: the cut in a catch handler.
std::vector<char> g_pending;
void receive(std::vector<char> b) { g_pending = std::move(b); } // NOTE: 'g_pending' takes a large buffer here
void handle() {
  try {
    throw 1;
  } catch (int) {
    g_pending.resize(1); // WARN: 'g_pending' is cut down here NOTE: give the capacity back
  }
}

//--- Must stay silent (form 3) ---------------------------------------------//

// shrink_to_fit or swap with an empty one after the cut.
std::vector<char> g_shrunk;
void loadShrunk(std::vector<char> big) { g_shrunk = std::move(big); }
void trimShrunk() {
  g_shrunk.resize(16);
  g_shrunk.shrink_to_fit();
}
std::vector<char> g_swapped;
void loadSwapped(std::vector<char> big) { g_swapped = std::move(big); }
void trimSwapped() {
  g_swapped.clear();
  std::vector<char>().swap(g_swapped);
}
std::vector<char> g_fresh;
void loadFresh(std::vector<char> big) { g_fresh = std::move(big); }
void resetFresh() { g_fresh = std::vector<char>(); }

// A scratch buffer cleared and refilled in the same loop.
std::vector<char> g_scratch;
int readChunk(std::vector<char> &out);
void pump(int fd) {
  for (;;) {
    g_scratch.clear();
    g_scratch.resize(65536);
    if (readChunk(g_scratch) <= 0)
      break;
  }
}
// Cleared at the start of the function that fills it again.
std::string g_line;
void readLine(const char *p, std::size_t n) {
  g_line.clear();
  g_line.append(p, n);
}
// Fill, use, clear at the end of the same function (the next call refills).
std::vector<int> g_batch;
void process(const std::vector<int> &);
void handleBatch(const int *p, std::size_t n) {
  g_batch.assign(p, p + n);
  process(g_batch);
  g_batch.clear();
}
// Never large: single appends of small things.
std::string g_small;
void addSmall(char c) { g_small.push_back(c); }
void clearSmall() { g_small.clear(); }
// Cut down without a large fill.
std::vector<int> g_fixed(4);
void trimFixed() { g_fixed.resize(2); }
// Handed out by non-const reference: anything may happen to it.
std::vector<char> g_shared;
void loadShared(std::vector<char> big) { g_shared = std::move(big); }
void trimShared() { g_shared.resize(4); }
std::vector<char> &sharedBuffer() { return g_shared; }
std::vector<char> g_aliased;
void loadAliased(std::vector<char> big) { g_aliased = std::move(big); }
void trimAliased() { g_aliased.resize(4); }
void releaseAliased() {
  std::vector<char> &Ref = g_aliased;
  Ref.shrink_to_fit();
}
// A local container: released at scope end.
void localVector(std::vector<char> big) {
  std::vector<char> v = std::move(big);
  v.resize(3);
}
// Emptying a member in a reset method: the object is reset for its next use
// (the leveldb BlockBuilder::Reset() pattern).
class Builder {
public:
  void add(const char *p, std::size_t n) { Buffer.append(p, n); }
  void reset() { Buffer.clear(); }

private:
  std::string Buffer;
};
// A data member with a member defined elsewhere (not visible): silent.
class Opaque {
public:
  void load(std::vector<char> b) { Data = std::move(b); }
  void trim() { Data.resize(4); }
  void maybeRelease(); // defined in another file

private:
  std::vector<char> Data;
};
// A data member of an object that is assigned whole (released by that).
struct Frame {
  std::vector<char> Pixels;
  void load(std::vector<char> b) { Pixels = std::move(b); }
  void trim() { Pixels.resize(4); }
};
void resetFrame(Frame &f) { f = Frame(); }

// A data member of a class with a friend (defined in another file, it could
// release the member): silent, like a member function defined elsewhere.
class Befriended {
  friend void peek(Befriended &);

public:
  void load(std::vector<char> b) { Data = std::move(b); }
  void trim() { Data.resize(4); }

private:
  std::vector<char> Data;
};
// An inline variable is shared with every translation unit that defines it
// (the rule of leak-unbounded-global-cache too): silent.
inline std::vector<char> g_shared_inline;
void loadInline(std::vector<char> b) { g_shared_inline = std::move(b); }
void trimInline() { g_shared_inline.resize(4); }

#ifdef BROKEN
void broken(BufferPtr b) {
  g_head = std::shared_ptr<const char>(b, b->data() + undefined_offset);
  g_data = std::move(undeclared);
  g_data.resize(
#endif
