//===--- ChannelIndex.h - leak-tidy --------------------------------------===//
//
// Every reference to a channel handle and to a future in one translation
// unit (user code only), each classified once by the ChannelModel, plus the
// local channel variables and the lambdas they sit in. The analyses of
// ChannelFacts read this index; they never walk the AST again.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELINDEX_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELINDEX_H

#include "lib/channel/ChannelModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class Expr;
class LambdaExpr;
class Stmt;
class ValueDecl;
class VarDecl;
namespace leaklib {

/// One reference to a channel handle.
struct ChannelRef {
  const Expr *Ref = nullptr;
  ChannelUse Use;
  const LambdaExpr *Lambda = nullptr; ///< innermost enclosing lambda
};

/// A variable, parameter or field of channel handle type and its references.
struct ChannelHandle {
  const ValueDecl *D = nullptr;
  const ChannelFamily *F = nullptr;
  std::vector<ChannelRef> Refs;
};

/// A local channel variable: the candidates for forms 1 and 2.
struct LocalChannel {
  const VarDecl *V = nullptr;
  const Decl *Scope = nullptr;        ///< function or lambda call operator
  const Stmt *Body = nullptr;         ///< its body as written
  const LambdaExpr *Lambda = nullptr; ///< the lambda it is declared in
};

struct ChannelIndex {
  llvm::MapVector<const ValueDecl *, ChannelHandle> Handles;
  llvm::DenseMap<const ValueDecl *, std::vector<const Expr *>> FutureRefs;
  std::vector<LocalChannel> Locals;
  /// The lambda directly around each lambda (null: none).
  llvm::DenseMap<const LambdaExpr *, const LambdaExpr *> LambdaParent;
  /// Pointer / smart pointer handles that are given a new channel.
  llvm::DenseSet<const ValueDecl *> Created;
};

/// Indexes the user code of \p Ctx (declarations in system headers are
/// skipped).
ChannelIndex indexChannels(ASTContext &Ctx, const ChannelModel &M);

/// The body as written: a coroutine's CoroutineBodyStmt wraps it.
const Stmt *userBody(const Stmt *Body);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELINDEX_H
