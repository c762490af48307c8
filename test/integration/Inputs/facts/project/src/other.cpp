void other() {} // FACT other.thing ok
