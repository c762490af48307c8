//===--- NameMatcher.cpp - leak-tidy -------------------------------------===//
#include "lib/core/NameMatcher.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
namespace leaklib {

std::vector<std::string> splitList(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Value.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  std::vector<std::string> Result;
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (!P.empty())
      Result.push_back(P.str());
  }
  return Result;
}

std::string joinList(const std::vector<std::string> &Items) {
  std::string Out;
  for (const std::string &I : Items) {
    if (!Out.empty())
      Out += ';';
    Out += I;
  }
  return Out;
}

static llvm::StringRef stripGlobal(llvm::StringRef Name) {
  Name = Name.trim();
  Name.consume_front("::");
  return Name;
}

std::string validateQualifiedName(llvm::StringRef Name) {
  llvm::StringRef N = stripGlobal(Name);
  if (N.empty())
    return "empty name";
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  N.split(Parts, "::", -1, /*KeepEmpty=*/true);
  for (llvm::StringRef P : Parts) {
    if (P.empty())
      return "'" + Name.str() + "' has an empty name component";
    char C0 = P.front();
    if (!(isalpha(static_cast<unsigned char>(C0)) || C0 == '_'))
      return "'" + Name.str() + "' is not a qualified C/C++ name";
    for (char C : P)
      if (!(isalnum(static_cast<unsigned char>(C)) || C == '_'))
        return "'" + Name.str() + "' is not a qualified C/C++ name";
  }
  return "";
}

void NameMatcher::add(llvm::StringRef QualifiedName) {
  llvm::StringRef N = stripGlobal(QualifiedName);
  if (N.empty())
    return;
  if (Qualified.insert(N).second)
    Ordered.push_back(N.str());
  size_t Pos = N.rfind("::");
  LastComponents.insert(Pos == llvm::StringRef::npos ? N : N.substr(Pos + 2));
}

void NameMatcher::add(const std::vector<std::string> &Names) {
  for (const std::string &N : Names)
    add(N);
}

std::vector<std::string> NameMatcher::names() const { return Ordered; }

std::string qualifiedName(const NamedDecl *D) {
  if (!D)
    return "";
  const DeclContext *Ctx = D->getDeclContext();
  std::vector<std::string> Names;
  Names.push_back(D->getNameAsString());
  for (; Ctx; Ctx = Ctx->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(Ctx)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Names.push_back(NS->getNameAsString());
    } else if (const auto *RD = dyn_cast<RecordDecl>(Ctx)) {
      Names.push_back(RD->getNameAsString());
    } else if (isa<FunctionDecl>(Ctx)) {
      break;
    }
  }
  std::string Out;
  for (auto It = Names.rbegin(); It != Names.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

bool NameMatcher::matchesName(llvm::StringRef QualifiedName) const {
  return Qualified.count(stripGlobal(QualifiedName)) != 0;
}

bool NameMatcher::matches(const NamedDecl *D) const {
  if (!D || Qualified.empty())
    return false;
  const IdentifierInfo *II = D->getIdentifier();
  if (!II || !mayMatchIdentifier(II->getName()))
    return false;
  return matchesName(qualifiedName(D));
}

} // namespace leaklib
} // namespace clang
