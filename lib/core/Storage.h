//===--- Storage.h - leak-tidy --------------------------------------------===//
//
// The one answer, for every check, to three questions about where an object
// lives:
//  - what kind of storage a variable or member has (automatic, static local,
//    namespace scope, static data member, thread_local, member of an object,
//    heap) and whether it lives for the whole program;
//  - whether an object of a class lives for the program (a global or static
//    of that class, Meyers singletons included): one index per ASTContext;
//  - whether another translation unit could touch a declaration (external
//    linkage and a declaration in a header, an inline function sharing its
//    static locals, a public member of a class from a header), and whether
//    every member function of a class is defined in this one.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_STORAGE_H
#define LEAK_TIDY_LIB_CORE_STORAGE_H

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Decl;
class FieldDecl;
class NamedDecl;
class SourceManager;
class ValueDecl;
class VarDecl;
namespace leaklib {

enum class StorageKind {
  Unknown,      ///< not a variable or data member (null, functions, ...)
  Automatic,    ///< a local variable or parameter
  StaticLocal,  ///< a function-local static
  Global,       ///< a variable at namespace (or file) scope
  StaticMember, ///< a static data member
  ThreadLocal,  ///< thread_local / __thread / _Thread_local, any scope
  Member,       ///< a non-static data member: lives as long as its object
  Heap,         ///< an object reached through a pointer (new, malloc)
};

/// The storage kind of \p D. A thread_local variable is ThreadLocal whatever
/// its scope (see storageScope). Never Heap: that is a property of an
/// expression, which only the caller's walk knows.
StorageKind storageKind(const ValueDecl *D);

/// Like storageKind, but a thread_local answers where it is declared
/// (StaticLocal, Global or StaticMember): for wording such as
/// "thread_local static data member".
StorageKind storageScope(const ValueDecl *D);

/// A variable with static or thread storage duration: namespace scope,
/// static local, static data member or thread_local. Null is false.
bool livesForProgram(const VarDecl *V);

/// Whether some object of class \p RD lives for the program: a global,
/// static or thread_local variable of that class (or an array of it),
/// including the static local of a Meyers singleton. Declarations in system
/// headers are not looked at. Built once per ASTContext, on first use.
bool hasStaticInstance(const CXXRecordDecl *RD, ASTContext &Ctx);

/// Whether every declaration of \p D is in the main file (after macro
/// expansion), none in a header another translation unit may include.
bool declaredOnlyInMainFile(const Decl *D, const SourceManager &SM);

/// Whether every member function \p RD declares (not implicit, deleted,
/// defaulted or pure virtual) has a body in this translation unit, and it
/// has no friends: then nothing outside this translation unit can reach its
/// private members. Member templates count as defined when their pattern
/// has a body.
bool classFullyDefinedHere(const CXXRecordDecl *RD);

/// Whether no other translation unit can name \p D (so that this one sees
/// every use of it):
///  - a variable or function: internal linkage (static, anonymous namespace)
///    or every declaration in the main file; an inline variable never;
///  - a static local: unless its function is inline, has external linkage
///    and is declared outside the main file (every translation unit then
///    shares the one object);
///  - a class: internal linkage or its definition in the main file;
///  - a data member: its class answers yes, or the member is private or
///    protected and classFullyDefinedHere(its class).
bool visibleOnlyInThisTU(const NamedDecl *D, const SourceManager &SM);

/// Whether this translation unit sees every use other code makes of \p D
/// by name (what it returns or hands on aside): visibleOnlyInThisTU, or
///  - a static local of an inline function defined in a project header (not
///    a system header): one object per program, named only in the
///    function's body, which every translation unit sees whole;
///  - an inline static data member of a class defined in the main file.
bool everyNamedUseVisibleHere(const NamedDecl *D, const SourceManager &SM);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_STORAGE_H
