//===--- StorageFacts.h - leak-tidy ---------------------------------------===//
//
// Transition header: the storage answers moved to lib/core/Storage.h. These
// two names remain until their last users (the timer family) switch; then
// this file goes.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_STORAGEFACTS_H
#define LEAK_TIDY_LIB_CORE_STORAGEFACTS_H

#include "lib/core/Storage.h"

namespace clang {
namespace leaklib {

/// Deprecated: livesForProgram.
inline bool hasProgramLifetime(const VarDecl *V) { return livesForProgram(V); }

/// Deprecated: hasStaticInstance(RD, Ctx).
class StaticInstanceIndex {
public:
  explicit StaticInstanceIndex(ASTContext &Ctx) : Ctx(Ctx) {}
  bool hasStaticInstance(const CXXRecordDecl *RD) const {
    return leaklib::hasStaticInstance(RD, Ctx);
  }

private:
  ASTContext &Ctx;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_STORAGEFACTS_H
