//===--- ChannelMembers.h - leak-tidy ------------------------------------===//
//
// Form 4 of leak-channel-without-reader: a channel held as a member of a
// worker object. A consumer loop (in a method, or a lambda run as the
// consumer thread) receives from the member and can stop reading -- its loop
// condition reads a member or global flag, or it breaks or returns on one --
// while producers send to it with a send that blocks when it is full, and
// nothing in the translation unit closes it: once the consumer has stopped,
// every producer blocks forever on the full channel.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELMEMBERS_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELMEMBERS_H

#include "lib/channel/ChannelFacts.h"

namespace clang {
namespace leaklib {

/// Form 4, for every field channel of the index; channels in \p Reported
/// are left out.
std::vector<ChannelFinding>
findStoppedConsumers(const ChannelIndex &I, ASTContext &Ctx,
                     const llvm::DenseSet<const ValueDecl *> &Reported);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELMEMBERS_H
