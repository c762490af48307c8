//===--- PerContext.h - leak-tidy -----------------------------------------===//
//
// One object of type T per ASTContext, made on first use and freed with the
// context (ASTContext::AddDeallocation). Every check of a clang-tidy run, and
// every clangd worker thread, shares it: the registry is mutex-guarded, and
// an object is only ever used by the thread that owns its context.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_PERCONTEXT_H
#define LEAK_TIDY_LIB_CORE_PERCONTEXT_H

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <mutex>

namespace clang {
namespace leaklib {

template <typename T> class PerContext {
public:
  /// The object of \p Ctx, made with `Make()` the first time.
  template <typename MakeFn> static T &get(const ASTContext &Ctx, MakeFn Make) {
    Registry &R = registry();
    {
      std::lock_guard<std::mutex> G(R.Lock);
      auto It = R.Objects.find(&Ctx);
      if (It != R.Objects.end())
        return *It->second;
    }
    // Made outside the lock: only this thread uses Ctx.
    std::unique_ptr<T> Obj = Make();
    T &Ref = *Obj;
    {
      std::lock_guard<std::mutex> G(R.Lock);
      R.Objects[&Ctx] = std::move(Obj);
    }
    const_cast<ASTContext &>(Ctx).AddDeallocation(
        forget, const_cast<ASTContext *>(&Ctx));
    return Ref;
  }

private:
  struct Registry {
    std::mutex Lock;
    llvm::DenseMap<const ASTContext *, std::unique_ptr<T>> Objects;
  };
  static Registry &registry() {
    static Registry R;
    return R;
  }
  static void forget(void *Ctx) {
    std::unique_ptr<T> Gone; // destroyed outside the lock
    Registry &R = registry();
    std::lock_guard<std::mutex> G(R.Lock);
    auto It = R.Objects.find(static_cast<const ASTContext *>(Ctx));
    if (It != R.Objects.end()) {
      Gone = std::move(It->second);
      R.Objects.erase(It);
    }
  }
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_PERCONTEXT_H
