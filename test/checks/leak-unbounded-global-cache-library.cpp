// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17
//
// What the real standard library does with user classes decides whether a
// class with a growing member map has only static instances. The check reads
// library code only where it is instantiated with user types (function
// template bodies such as allocator_traits::construct<T> or make_unique<T>,
// and the fields of class instantiations such as optional<T>); these cases
// pin that down with the real libstdc++ headers.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

std::string key();

// Only a static instance: reported.
struct OnlyStatic { std::map<std::string, int> M; void put() { M[key()] = 1; } }; // WARN: member std::map 'OnlyStatic::M' only grows NOTE: grows here: 'operator[]' adds a key from the result of 'key'
static OnlyStatic GOnlyStatic;

// std::vector<T> constructs T objects (short-lived instances): silent.
struct InVector { std::map<std::string, int> M; void put() { M[key()] = 1; } };
static InVector GInVector;
std::vector<InVector> Many(3);

// Created by std::make_unique / std::make_shared: silent.
struct MadeUnique { std::map<std::string, int> M; void put() { M[key()] = 1; } };
static MadeUnique GMadeUnique;
std::unique_ptr<MadeUnique> makeUnique() { return std::make_unique<MadeUnique>(); }
struct MadeShared { std::map<std::string, int> M; void put() { M[key()] = 1; } };
static MadeShared GMadeShared;
std::shared_ptr<MadeShared> makeShared() { return std::make_shared<MadeShared>(); }

// Emplaced into a vector the caller owns: silent.
struct Emplaced { std::map<std::string, int> M; void put() { M[key()] = 1; } };
static Emplaced GEmplaced;
void pushEmplaced(std::vector<Emplaced> &V) { V.emplace_back(); }

// A static std::optional<T> holds a T that lives as long as the program: the
// library only holds it (fields of optional's instantiation), constructs
// none elsewhere: reported.
struct InOptional { std::map<std::string, int> M; void put() { M[key()] = 1; } }; // WARN: member std::map 'InOptional::M' only grows NOTE: grows here: 'operator[]' adds a key from the result of 'key'
static std::optional<InOptional> GInOptional;
void useOptional() { GInOptional->put(); }

// Likewise a static std::pair member.
struct InPair { std::map<std::string, int> M; void put() { M[key()] = 1; } }; // WARN: member std::map 'InPair::M' only grows NOTE: grows here: 'operator[]' adds a key from the result of 'key'
static std::pair<int, InPair> GInPair;
void usePair() { GInPair.second.put(); }

// Swapped through std::swap, whose body makes a temporary T: silent.
struct Swapped { std::map<std::string, int> M; void put() { M[key()] = 1; } };
static Swapped GSwapped, GOther;
void swapBoth() { std::swap(GSwapped, GOther); }
