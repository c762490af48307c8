// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.SliceTypes: 'net::Slice', leak-retained-slice.SlicingFunctions: '+net::Slice::sub;net::Slice::prefix'}}" --prefixes=,OPT %s leak-retained-slice -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.SliceTypes: 'net::Slice'}}" %s leak-retained-slice -- -std=c++17
//
// In-house slice types (an owner pointer plus an offset and a length), issue
// 17: a method named in SlicingFunctions makes a sub-slice of its object and
// keeps what that object keeps -- the buffer of the slice it is called on.

#include <cstddef>
#include <memory>
#include <vector>

namespace net {
using Buffer = std::vector<char>;
class Slice {
public:
  Slice() = default;
  Slice(std::shared_ptr<const Buffer> Owner, std::size_t Off, std::size_t Len)
      : Owner(std::move(Owner)), Off(Off), Len(Len) {}
  Slice sub(std::size_t From, std::size_t N) const {
    return Slice(Owner, Off + From, N);
  }
  Slice prefix(std::size_t N) const { return sub(0, N); }
  const char *data() const { return Owner->data() + Off; }
  std::size_t size() const { return Len; }

private:
  std::shared_ptr<const Buffer> Owner;
  std::size_t Off = 0, Len = 0;
};
} // namespace net

net::Slice g_token;
net::Slice g_whole; // lives for the program
std::vector<net::Slice> g_names;

//===----------------------------------------------------------------------===//
// Must warn (with the option).
//===----------------------------------------------------------------------===//

// A sub-slice of a packet the caller hands in: the whole packet stays.
void keepToken(const net::Slice &Packet) { // OPT-NOTE: the retained buffer comes from parameter 'Packet'
  g_token = Packet.sub(4, 16); // OPT-WARN: slice stored in 'g_token' keeps the whole buffer alive (size unknown) OPT-NOTE: copy the part you need
}
void keepName(net::Slice Record) { // OPT-NOTE: the retained buffer comes from parameter 'Record'
  g_names.push_back(Record.prefix(8)); // OPT-WARN: slice stored in an element of 'g_names' keeps the whole buffer alive OPT-NOTE: copy the part you need
}

//===----------------------------------------------------------------------===//
// Must stay silent.
//===----------------------------------------------------------------------===//

// A sub-slice of a slice that lives for the program keeps nothing extra.
void keepPart() { g_token = g_whole.sub(0, 4); }

// A copy of the part.
std::vector<char> g_copy;
void copyToken(const net::Slice &Packet) {
  net::Slice T = Packet.sub(4, 16);
  g_copy.assign(T.data(), T.data() + T.size());
}

// A method not named: size() and data() make no slice.
std::size_t g_len;
void measure(const net::Slice &Packet) { g_len = Packet.size(); }
