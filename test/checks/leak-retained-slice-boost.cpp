// boost::shared_ptr has the same aliasing constructor as std::shared_ptr.
// REQUIRES: boost
// RUN: %check_leak %s leak-retained-slice -- -std=c++17 -fexceptions
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.OwnerTypes: 'std::shared_ptr'}}" --prefixes=STDONLY %s leak-retained-slice -- -std=c++17 -fexceptions

#include <boost/make_shared.hpp>
#include <boost/shared_ptr.hpp>
#include <stdexcept>
#include <vector>

typedef std::vector<unsigned char> Bytes;
boost::shared_ptr<Bytes> receive();

static boost::shared_ptr<const unsigned char> g_tag;
static std::vector<boost::shared_ptr<const unsigned char>> g_tags;

void keepTag() {
  boost::shared_ptr<Bytes> frame = receive(); // NOTE: the retained buffer is returned by this call
  g_tag = boost::shared_ptr<const unsigned char>(frame, frame->data() + 2); // WARN: slice stored in 'g_tag' keeps the whole buffer alive (size unknown) NOTE: copy the part you need
}

// Exceptions: the store happens inside a try block.
void keepTagOrThrow() {
  try {
    boost::shared_ptr<Bytes> frame = boost::make_shared<Bytes>(1 << 16); // NOTE: the retained buffer is allocated here
    if (frame->empty())
      throw std::runtime_error("empty");
    g_tags.push_back(boost::shared_ptr<const unsigned char>(frame, &(*frame)[1])); // WARN: slice stored in an element of 'g_tags' keeps the whole buffer alive (65536 bytes) NOTE: copy the part you need
  } catch (const std::exception &) {
  }
}

// --- Must stay silent ---
void smallTag() {
  boost::shared_ptr<Bytes> frame = boost::make_shared<Bytes>(32);
  g_tag = boost::shared_ptr<const unsigned char>(frame, frame->data());
}
unsigned char copyTag() {
  boost::shared_ptr<Bytes> frame = receive();
  boost::shared_ptr<const unsigned char> local(frame, frame->data() + 2);
  return *local;
}
