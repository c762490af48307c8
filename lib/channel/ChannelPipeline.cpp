//===--- ChannelPipeline.cpp - leak-tidy ---------------------------------===//
#include "lib/channel/ChannelPipeline.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"

namespace clang {
namespace leaklib {

namespace {

/// The blocking send to a reported channel in stage \p Stage, and that
/// channel; {null, null} if none.
std::pair<const Stmt *, const ValueDecl *>
blockedSendIn(const ChannelIndex &I, const LambdaExpr *Stage,
              const llvm::DenseSet<const ValueDecl *> &Reported) {
  for (const ValueDecl *Down : Reported) {
    auto It = I.Handles.find(Down);
    if (It == I.Handles.end())
      continue;
    for (const ChannelRef &R : It->second.Refs)
      if (R.Lambda == Stage && R.Use.K == ChannelUse::Operation &&
          R.Use.Op == ChannelOp::Send)
        return {R.Use.Node, Down};
  }
  return {nullptr, nullptr};
}

/// A finding for upstream channel \p L if its readers are stages blocked on
/// a reported channel and an endless producer sends to it.
std::optional<ChannelFinding>
upstreamFinding(const ChannelIndex &I, const LocalChannel &L,
                const ChannelModel &M, ASTContext &Ctx,
                const llvm::DenseSet<const ValueDecl *> &Reported) {
  auto HIt = I.Handles.find(L.V);
  if (HIt == I.Handles.end() || Reported.count(L.V) ||
      HIt->second.F->Capacity == CapacityKind::Unbounded ||
      HIt->second.F->Capacity == CapacityKind::Promise)
    return std::nullopt;
  const Stmt *ProducerLoop = nullptr, *Blocked = nullptr;
  const ValueDecl *Down = nullptr;
  for (const ChannelRef &R : HIt->second.Refs) {
    bool Receive =
        R.Use.K == ChannelUse::Drain ||
        (R.Use.K == ChannelUse::Operation &&
         (R.Use.Op == ChannelOp::Receive || R.Use.Op == ChannelOp::TryReceive));
    bool Send = R.Use.K == ChannelUse::Operation && R.Use.Op == ChannelOp::Send;
    if (R.Use.K == ChannelUse::Neutral)
      continue; // a capture, size(), is_closed()
    if (!R.Lambda || R.Lambda == L.Lambda ||
        I.LambdaParent.lookup(R.Lambda) != L.Lambda ||
        !M.senderStart(R.Lambda, Ctx) || (!Receive && !Send))
      return std::nullopt; // used in its own body, closed, passed on, ...
    if (Send) {
      if (!ProducerLoop)
        ProducerLoop =
            producerLoopAround(R.Use.Node, userBody(R.Lambda->getBody()), Ctx);
      continue;
    }
    auto [At, To] = blockedSendIn(I, R.Lambda, Reported);
    if (!At)
      return std::nullopt; // a reader that does not block downstream
    Blocked = At;
    Down = To;
  }
  if (!ProducerLoop || !Blocked)
    return std::nullopt;
  ChannelFinding Fd;
  Fd.Why = NoReader::StageBlocks;
  Fd.Channel = L.V;
  Fd.Send = ProducerLoop;
  Fd.Notes.push_back(ChannelNote::at(ChannelNote::EndlessLoop, ProducerLoop));
  ChannelNote N = ChannelNote::at(ChannelNote::StageBlocksHere, Blocked);
  N.D = Down;
  Fd.Notes.push_back(N);
  Fd.Fix = ChannelFix::CloseUpstream;
  return Fd;
}

} // namespace

std::vector<ChannelFinding>
findBlockedUpstream(const ChannelIndex &I, const ChannelModel &M,
                    ASTContext &Ctx,
                    const llvm::DenseSet<const ValueDecl *> &Reported) {
  std::vector<ChannelFinding> Out;
  for (const LocalChannel &L : I.Locals)
    if (std::optional<ChannelFinding> Fd =
            upstreamFinding(I, L, M, Ctx, Reported))
      Out.push_back(std::move(*Fd));
  return Out;
}

} // namespace leaklib
} // namespace clang
