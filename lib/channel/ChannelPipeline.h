//===--- ChannelPipeline.h - leak-tidy -----------------------------------===//
//
// Pipelines of local channels: a stage is a started lambda that receives
// from one channel and sends to another. When the stage's downstream reader
// stops early (a finding of form 1 or 2 on the channel it sends to), the
// stage blocks in its send and stops reading its own upstream channel: an
// endless producer of that channel then blocks too, unless something closes
// it. Each stage is judged on its own: the upstream channel is reported with
// a note at the stage's blocking send.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELPIPELINE_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELPIPELINE_H

#include "lib/channel/ChannelFacts.h"

namespace clang {
namespace leaklib {

/// Upstream channels of stages that block because a channel in \p Reported
/// (found by forms 1 and 2) has no reader left.
std::vector<ChannelFinding>
findBlockedUpstream(const ChannelIndex &I, const ChannelModel &M,
                    ASTContext &Ctx,
                    const llvm::DenseSet<const ValueDecl *> &Reported);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELPIPELINE_H
