#pragma once
// The registry is declared here, filled in consumer.cpp, trimmed in producer.cpp.
extern int registry;
