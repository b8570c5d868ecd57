"""What a unit HR officer, a 盟市/厅局 office and the region do: role and unit (profile), the inbox
of received packages, 推荐/不推荐 decisions and opinions, quotas, and the office's own package."""
