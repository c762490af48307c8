//===--- ChannelFacts.h - leak-tidy --------------------------------------===//
//
// The analyses of leak-channel-without-reader, one function per form, each
// returning a ChannelFinding: the channel, the send that blocks, why no
// reader is left, the notes along the way and the fix, as data. The check
// only words them.
//
//  - form 1, fan-out (findFanOut): a local channel; lambdas started in the
//    function send more values than the function receives before it returns
//    plus what the channel holds, and it is not closed on every path;
//  - form 2, an endless producer (findEndlessProducer): a started lambda
//    sends in a loop without end, and the reader can leave the channel's
//    scope without closing it (or the channel is returned and the producer
//    ignores the send status, so nothing a reader does stops it);
//  - form 3, never read (findNeverRead): a channel or promise sent to but
//    never received from anywhere in the translation unit.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELFACTS_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELFACTS_H

#include "lib/channel/ChannelIndex.h"
#include "lib/channel/ChannelProgram.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class Expr;
class NamedDecl;
class Stmt;
class ValueDecl;
namespace leaklib {

/// Why no reader is left for the values sent.
enum class NoReader {
  ReadsFewer,          ///< form 1: the function receives fewer than is sent
  ReaderStopsEarly,    ///< form 2: the reader can stop without closing
  ProducerUnstoppable, ///< form 2: returned; the producer ignores the status
  NeverReceived,       ///< form 3
  PromiseNeverRead,    ///< form 3 for a promise
  /// form 4: a member's consumer stops reading, and nothing closes it
  ConsumerStops,
  /// the reader is a pipeline stage that blocks downstream
  StageBlocks,
};

/// What becomes of the values of a channel never read (form 3).
enum class UnreadOutcome {
  SendersBlock, ///< once it is full every sender blocks forever
  PileUp,       ///< an unbounded channel: values pile up until destroyed
  Unused,       ///< only non-blocking sends: the values are never used
};

/// One note along the way, in the order the check shows them.
struct ChannelNote {
  enum Kind {
    SendersStarted, ///< Count senders started here
    /// senders started here once per iteration of a run-time loop: D the
    /// container it walks (Count 1) or its bound (Count 2), or null
    SendersPerIteration,
    FunctionEnds,     ///< the function ends here having received Count values
    ReturnsHere,      ///< returns here having received Count values
    ThrowsHere,       ///< throws here having received Count values
    EndlessLoop,      ///< the producer's loop has no stop condition
    ReaderStops,      ///< the reader can stop here; not closed afterwards
    ReturnedToReader, ///< the channel is returned to a reader here
    SentHere,         ///< the first send (form 3)
    ValueSetHere,     ///< the promise's value is set here
    FutureObtained,   ///< the future is obtained here (At is a declaration)
    /// form 4: the consumer stops reading here
    ConsumerStopsHere,
    /// form 4: a producer's blocking send
    ProducerSends,
    /// form 4: the member (D), never closed
    NeverClosed,
    /// the stage reading the channel blocks here (D: the channel downstream)
    StageBlocksHere,
    /// form 3 across files: shared with other files, none of which receives
    /// from it (project facts; D the declaration)
    NoReaderInProject,
    SentElsewhere, ///< also sent to in another file (Loc, or Text names it)
  };
  Kind K = SentHere;
  const Stmt *S = nullptr; ///< the place: a statement,
  const Decl *D = nullptr; ///< or a declaration,
  SourceLocation Loc;      ///< or a bare location (a closing brace)
  uint64_t Count = 0;
  std::string Where; ///< `file:line` when Loc cannot be made (another file)

  static ChannelNote at(Kind K, const Stmt *S, uint64_t Count = 0) {
    ChannelNote N;
    N.K = K;
    N.S = S;
    N.Count = Count;
    return N;
  }
  static ChannelNote atDecl(Kind K, const Decl *D) {
    ChannelNote N;
    N.K = K;
    N.D = D;
    return N;
  }
};

/// The fix, in words the check chooses.
enum class ChannelFix {
  CloseBeforeReturning, ///< close before returning, or buffer every value
  CloseBeforeThrowing,  ///< close before throwing, or buffer every value
  /// close before returning, or a buffer as large as the number of senders
  CloseOrBufferPerSender,
  CloseOnThatPath,      ///< close on the reader's way out, or a stop flag
  StopOnClosedStatus,   ///< let the producer stop when a send reports closed
  ReceiveOrStopSending, ///< receive from it or stop sending to it
  WaitOnFuture,         ///< wait on the future, or drop the promise
  /// form 4: close on the consumer's stop path
  CloseWhenConsumerStops,
  /// a blocked stage: close its input too
  CloseUpstream,
};

struct ChannelFinding {
  NoReader Why = NoReader::NeverReceived;
  const ValueDecl *Channel = nullptr;
  /// The send that blocks (form 1: null, the senders' sends), the producer's
  /// loop (form 2), the first send (form 3).
  const Stmt *Send = nullptr;
  /// Form 1: senders started, values they send, values received before the
  /// exit, and what the channel holds.
  uint64_t Senders = 0, Values = 0, Received = 0, Capacity = 0;
  /// Form 1 with senders started once per iteration of a run-time loop
  /// (Senders and Values count only the others): the loop's container or
  /// bound, if it has a name.
  bool PerIteration = false;
  const NamedDecl *PerIterationOf = nullptr;
  UnreadOutcome Outcome = UnreadOutcome::SendersBlock; ///< form 3
  /// Form 3 for a channel other files see: no file of the project receives
  /// from it (the project facts say so); the warning is at Send.
  bool AcrossFiles = false;
  bool FutureObtained = false; ///< promise: get_future() is called
  std::vector<ChannelNote> Notes;
  ChannelFix Fix = ChannelFix::ReceiveOrStopSending;
};

/// What the function of a local channel does with it: the references in the
/// body itself and those in the sender lambdas started there. Built by
/// localTraffic; null when some use is out of sight (an alias, an escape, a
/// lambda we do not see started).
struct LocalTraffic {
  const LocalChannel *L = nullptr;
  const ChannelFamily *F = nullptr;
  std::vector<const ChannelRef *> Direct; ///< in the channel's own body
  /// Calls in its own body of functions it is passed to, with what their
  /// summaries say they do with it (receive, drain, close, nothing).
  std::vector<std::pair<const Stmt *, HelperEffect>> Helpers;
  const Stmt *ReturnedAt = nullptr; ///< `return ch;` in its body
  /// Sender starts: values sent and senders started per start expression.
  llvm::DenseMap<const Stmt *, std::pair<uint64_t, uint64_t>> StartCounts;
  const Stmt *ProducerLoop = nullptr; ///< a send in a loop without end
  bool ProducerIgnoresClosed = true;  ///< its sends return a status it drops
  bool Countable = true;              ///< every sender's sends are counted
  bool SenderCloses = false;          ///< a sender closes the channel
};

std::optional<LocalTraffic> localTraffic(const ChannelIndex &I,
                                         const LocalChannel &L,
                                         const ChannelModel &M,
                                         ASTContext &Ctx);

/// Visits each way out of \p Loop found in its body (a `break` that leaves
/// it, a `return`, `throw` or `goto`; lambdas are not looked into) with the
/// conditions of the `if`s around it; stops when \p Fn returns false.
void forEachLoopExit(
    const Stmt *Loop,
    llvm::function_ref<bool(const Stmt *Exit, llvm::ArrayRef<const Expr *>)>
        Fn);

/// The loop around send \p Send (inside \p Body, a producer's body) that
/// runs without a known end and has no way out but the send's status, or
/// null.
const Stmt *producerLoopAround(const Stmt *Send, const Stmt *Body,
                               ASTContext &Ctx);

/// Form 1.
std::optional<ChannelFinding>
findFanOut(const LocalTraffic &T, const ChannelModel &M, ASTContext &Ctx);
/// Form 2.
std::optional<ChannelFinding> findEndlessProducer(const LocalTraffic &T,
                                                  ASTContext &Ctx);
/// Form 3, for every channel of the index; channels in \p Reported (found by
/// forms 1 and 2) are left out.
std::vector<ChannelFinding>
findNeverRead(const ChannelIndex &I, const ChannelModel &M, ASTContext &Ctx,
              const llvm::DenseSet<const ValueDecl *> &Reported);

/// Project facts of form 3 (ChannelProject.cpp, kind `channel_op`): what
/// this translation unit does with a channel other files see -- the first
/// send, receive (a drain, a consumed future) and escape (handed to code we
/// cannot follow), each null when there is none.
struct SharedChannelOps {
  const Expr *Send = nullptr, *Read = nullptr, *Escape = nullptr;
};
/// Exports one `channel_op` fact per operation of \p Ops about \p D.
void exportChannelOps(const ValueDecl *D, const SharedChannelOps &Ops,
                      ASTContext &Ctx);
/// Whether another translation unit receives from (or hands on) one of
/// \p Shared: nullopt when not known (facts off or no store); false when the
/// store knows none does, with notes at other files' sends in \p Notes.
std::optional<bool> readElsewhere(llvm::ArrayRef<const ValueDecl *> Shared,
                                  ASTContext &Ctx,
                                  std::vector<ChannelNote> &Notes);

/// Every form over the translation unit of \p Ctx, in source order of the
/// local channels, then form 3.
std::vector<ChannelFinding> findChannelsWithoutReader(ASTContext &Ctx,
                                                      const ChannelModel &M);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELFACTS_H
