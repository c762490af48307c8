//===--- ChannelModel.h - leak-tidy --------------------------------------===//
//
// The API model of channels and blocking queues: which types are channels,
// which calls send to them, receive from them or close them, and how many
// values a channel of a given construction holds before a send blocks.
//
// One ChannelFamily describes one channel type (Boost.Fiber's
// buffered_channel, Asio's experimental basic_channel, Boost.Thread's
// sync_bounded_queue, GLib's GAsyncQueue, std::promise, a user Channel<T>).
// Calls are classified by the family of the channel they act on, so a call
// on a dependent `buffered_channel<T>` in a template is classified by its
// member name just like the instantiated call.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELMODEL_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELMODEL_H

#include "lib/core/NameMatcher.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class ASTContext;
class Expr;
class Stmt;
class QualType;
class ValueDecl;
class NamedDecl;
class LambdaExpr;
class VarDecl;
namespace leaklib {

/// How many values a channel holds before a send blocks.
enum class CapacityKind {
  Unbounded,   ///< a send never blocks (sync_queue, GAsyncQueue)
  Unbuffered,  ///< rendezvous: every send waits for a receiver
  Arg,         ///< holds N, N = the first integral constructor argument
  ArgMinusOne, ///< holds N - 1 (boost::fibers::buffered_channel)
  Promise,     ///< one value; the reader is a future obtained from it
};

/// Parses "unbounded", "unbuffered", "arg", "arg-minus-one", "promise".
std::optional<CapacityKind> parseCapacityKind(llvm::StringRef S);
llvm::StringRef capacityKindName(CapacityKind K);

/// What a call does to a channel.
enum class ChannelOp {
  None,       ///< not a channel operation we know (is_closed, size, ...)
  Send,       ///< a send that blocks while the channel is full
  TrySend,    ///< a send that cannot block forever (try / timed)
  Receive,    ///< a receive that blocks until a value arrives
  TryReceive, ///< a receive that may return without a value (try / timed)
  Close,      ///< closes the channel: blocked senders fail
  Other,      ///< a known call that neither sends, receives nor keeps it
};

/// The names of the operations of one channel type, as configured.
struct ChannelFamily {
  std::string TypeName; ///< qualified name of the class / struct
  CapacityKind Capacity = CapacityKind::Arg;
  /// Operations: member names of TypeName's methods.
  llvm::StringMap<ChannelOp> Members;
};

/// The configuration: lists of qualified names per role, as in the options.
struct ChannelConfig {
  std::vector<std::string> Types;
  std::vector<std::string> Send, TrySend, Receive, TryReceive, Close, Other;
  /// "Type=kind" entries.
  std::vector<std::string> CapacitySemantics;
  /// Future types and the calls that consume (wait on) a future.
  std::vector<std::string> FutureWaits;
  /// Classes whose construction, or functions whose call, starts a lambda
  /// argument as a sender (another thread, fiber or task).
  std::vector<std::string> StartFunctions;
  /// Report form 3 for channels passed to a function with no body here and
  /// for globals other files can see.
  bool ReportEscapingChannels = false;

  /// Every option at its default (the ChannelDefaults strings).
  static ChannelConfig defaults();
};

/// The defaults of every option, as option strings.
struct ChannelDefaults {
  static const char *Types;
  static const char *Send;
  static const char *TrySend;
  static const char *Receive;
  static const char *TryReceive;
  static const char *Close;
  static const char *Other;
  static const char *CapacitySemantics;
  static const char *FutureWaits;
  static const char *StartFunctions;
};

/// What one reference to a channel handle (a DeclRefExpr or MemberExpr
/// naming a variable, parameter or field of channel handle type) does.
struct ChannelUse {
  enum Kind {
    Neutral,         ///< a read that neither sends, receives nor passes it on
    Operation,       ///< a channel operation: see Op and Node
    Drain,           ///< a range-for over the channel (receives until closed)
    Alias,           ///< bound to another variable or parameter: AliasOf
    FutureInto,      ///< promise.get_future() stored in future variable AliasOf
    FutureDiscarded, ///< promise.get_future() whose result is thrown away
    Escape,          ///< returned, stored, passed to something we cannot see
    ExternalEscape,  ///< passed to a function with no body in the TU
  };
  Kind K = Neutral;
  ChannelOp Op = ChannelOp::None;
  const Stmt *Node = nullptr; ///< the operation's call, the range-for
  const ValueDecl *AliasOf = nullptr;
  bool StatusUsed = false; ///< the operation's result is looked at
};

/// Whether \p E makes a new channel for a pointer or smart pointer to own:
/// new, std::make_shared / make_unique, g_async_queue_new[_full].
bool isChannelCreation(const Expr *E);

class ChannelModel {
public:
  /// Builds the model; problems (an operation whose class part is not a
  /// configured channel type, a malformed "Type=kind" entry) are appended to
  /// \p Errors as messages.
  explicit ChannelModel(const ChannelConfig &C,
                        std::vector<std::string> *Errors = nullptr);

  /// The family of a channel *object* type (class type, possibly a
  /// dependent specialization of a channel template), or null.
  const ChannelFamily *familyOfObjectType(QualType T) const;
  /// The family of a *handle* type: the channel type itself, a reference or
  /// pointer to it, or a std::shared_ptr / std::unique_ptr of it.
  const ChannelFamily *familyOfHandleType(QualType T) const;
  /// Whether the handle type owns or names the channel by value (not a
  /// pointer, reference or smart pointer).
  static bool isByValue(QualType T);

  /// What a call of method \p Member on a channel of family \p F does.
  ChannelOp classifyMember(const ChannelFamily &F,
                           llvm::StringRef Member) const;
  /// What a call of the free function \p Function (configured without a
  /// class part, e.g. g_async_queue_push) does to the channel it is given.
  ChannelOp classifyFree(llvm::StringRef Function) const;

  /// Whether \p Member is a call that waits on / consumes a future.
  bool isFutureWait(llvm::StringRef QualifiedTypeName,
                    llvm::StringRef Member) const;
  bool isFutureType(const NamedDecl *D) const;

  /// How many values the channel constructed by \p Init holds before a send
  /// blocks; std::nullopt when unknown (not a constant, no argument).
  /// Unbounded channels give std::nullopt too: ask the family first.
  std::optional<uint64_t> capacityOf(const ChannelFamily &F, const Expr *Init,
                                     ASTContext &Ctx) const;

  /// Classifies the reference \p Ref to a handle of family \p F by looking
  /// at its parents.
  ChannelUse classifyRef(const Expr *Ref, const ChannelFamily &F,
                         ASTContext &Ctx) const;
  /// Whether a future reference \p Ref waits on the future (get, wait...)
  /// or passes it on (moved, returned, passed to a call): either way its
  /// value is taken care of.
  bool futureRefConsumes(const Expr *Ref, ASTContext &Ctx) const;

  /// The family of a local `auto ch = std::make_shared<Chan<T>>(...)` in a
  /// template, whose type is still undeduced: the factory's explicit
  /// template argument tells.
  const ChannelFamily *familyOfUndeducedVar(const VarDecl *VD) const;

  /// The expression that starts lambda \p L as a sender: a construction of a
  /// StartFunctions class (std::thread), a call of a StartFunctions function
  /// or method (std::async, asio::post, pool.submit), or an emplace into a
  /// container of a start class; null when none is seen.
  const Expr *senderStart(const LambdaExpr *L, ASTContext &Ctx) const;

  const std::vector<ChannelFamily> &families() const { return Families; }
  const ChannelConfig &options() const { return Options; }

private:
  ChannelConfig Options;
  NameMatcher Starts;
  std::vector<ChannelFamily> Families;
  NameMatcher TypeNames;
  llvm::StringMap<unsigned> ByName; // qualified type name -> family index
  llvm::StringMap<ChannelOp> FreeFunctions;
  NameMatcher FutureTypes;
  llvm::StringSet<> FutureWaitNames;   // "Type::member"
  llvm::StringSet<> FutureWaitMembers; // "member", for dependent futures
  mutable llvm::DenseMap<const void *, int> TypeCache;
  const ChannelFamily *familyOfDecl(const NamedDecl *D) const;
  bool startsSender(const NamedDecl *D) const;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELMODEL_H
