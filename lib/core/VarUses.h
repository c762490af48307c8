//===--- VarUses.h - leak-tidy -------------------------------------------===//
//
// Escape rules: what one use of a tracked local variable does to it. Models
// (threads, timers, channels, ...) ask this for each reference they meet and
// decide whether the use releases the resource, hands it off, or neither.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_VARUSES_H
#define LEAK_TIDY_LIB_CORE_VARUSES_H

#include "llvm/ADT/StringRef.h"

namespace clang {
class CallExpr;
class CXXMethodDecl;
class DeclRefExpr;
class Expr;
class FunctionDecl;
class LambdaExpr;
class ParentMap;
class Stmt;
class ValueDecl;
class VarDecl;
namespace leaklib {

struct VarUse {
  enum Kind {
    Unrelated,    ///< the statement does not use the variable
    MemberCall,   ///< v.f(...) or v->f(...): see Method / Call
    Argument,     ///< passed to a call: see Call / ArgIndex / ByReference
    AddressTaken, ///< &v (not directly an argument)
    Moved,        ///< std::move(v) / std::forward / static_cast<T&&>(v)
    Returned,     ///< return v / co_return v
    StoredAway,   ///< copied or assigned into another object (x = v, T x(v))
    Overwritten,  ///< v = ... (assigned to)
    Captured,     ///< captured by a lambda (by reference or by copy)
    Read,         ///< any other read
  };
  Kind K = Unrelated;
  const CallExpr *Call = nullptr;        ///< MemberCall / Argument
  const CXXMethodDecl *Method = nullptr; ///< MemberCall
  const FunctionDecl *Callee = nullptr;  ///< MemberCall / Argument
  unsigned ArgIndex = 0;                 ///< Argument
  bool ByReference = false;  ///< Argument bound to a non-const ref, or &v
  bool CaptureByRef = false; ///< Captured
};

/// Classifies the use of \p V that statement \p S (a CFG element) makes.
/// Only the outermost meaning is reported: for `pthread_join(t, 0)` the
/// CallExpr element says Argument; the DeclRefExpr element of `t` inside it
/// says Read (its parent is the call, handled there). With the parent map,
/// a DeclRefExpr is classified by walking up through casts and parens.
VarUse classifyUse(const Stmt *S, const ValueDecl *V, ParentMap &PM);

/// Whether \p E, after ignoring parens/implicit casts/address-of/std::move,
/// names \p V.
bool refersTo(const Expr *E, const ValueDecl *V);

/// Whether \p Lambda captures \p V (explicitly or implicitly).
bool capturesVar(const LambdaExpr *Lambda, const ValueDecl *V,
                 bool *ByRef = nullptr);

/// The callee's name without qualification ("join", "pthread_join"), or "".
llvm::StringRef calleeName(const CallExpr *Call);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_VARUSES_H
