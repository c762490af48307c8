//===--- ChannelShape.h - leak-tidy --------------------------------------===//
//
// In-house channels recognised by their shape, without configuration: a
// class with a mutex, a condition variable and a queue whose push waits while
// the queue is full (`cv.wait(lock, [&] { return q.size() < cap; })`, or
// `while (q.size() >= cap) cv.wait(lock);`) is a bounded channel. Its
// methods get roles from what they do with the queue:
//  - send: pushes to the queue after waiting for room (a timed wait,
//    wait_for / wait_until: try-send);
//  - try-send: pushes without waiting (it never blocks);
//  - receive: pops from the queue after a wait; try-receive: pops without;
//  - close: sets to true a flag that the send's wait reads, and notifies.
// A class whose push never waits (an unbounded queue) is no blocking
// channel: it is not recognised; nor is a class with a named method whose
// body this translation unit does not see (it may receive or close). Roles
// configured for a type (the options) win over the shape's.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELSHAPE_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELSHAPE_H

#include "lib/channel/ChannelModel.h"
#include <string>
#include <utility>
#include <vector>

namespace clang {
class ASTContext;
namespace leaklib {

/// One class recognised as a bounded channel by its shape.
struct ShapeChannel {
  std::string TypeName; ///< qualified name (a class template: its name)
  std::vector<std::pair<std::string, ChannelOp>> Members;
};

/// The classes of the user code of \p Ctx that have the shape of a bounded
/// channel.
std::vector<ShapeChannel> findShapeChannels(ASTContext &Ctx);

/// \p C extended with \p Shapes: a type not yet configured becomes a channel
/// type of capacity `arg`; a role the configuration gives a member wins.
ChannelConfig withShapeChannels(const ChannelConfig &C,
                                const std::vector<ShapeChannel> &Shapes);

/// Checks one entry of the option ChannelMethodRoles,
/// `Type::method=role` with role one of send, try-send, receive,
/// try-receive, close; returns an error message, or "" if it is well formed.
std::string validateMethodRole(llvm::StringRef Entry);

/// Adds a well-formed ChannelMethodRoles entry to \p C: the method to the
/// list of its role, its type to the channel types (capacity `arg` unless
/// CapacitySemantics says otherwise).
void addMethodRole(ChannelConfig &C, llvm::StringRef Entry);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELSHAPE_H
