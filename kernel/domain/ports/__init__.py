"""Ports: the abstract interfaces through which plugins and the kernel cooperate.

A plugin implements a port and hands the implementation to the kernel through a hook;
another plugin asks the kernel for the port and never imports the implementing plugin.
"""
